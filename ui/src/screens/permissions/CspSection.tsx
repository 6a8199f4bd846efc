import type { ManifestEdit } from "../../bindings/ManifestEdit";
import { TextField } from "../../components/fields";
import { StringListEditor } from "../../components/StringListEditor";
import type { ManifestView } from "../../bindings/ManifestView";

export function CspSection({
  view,
  busy,
  onEdit,
}: {
  view: ManifestView;
  busy: boolean;
  onEdit: (edit: ManifestEdit) => Promise<boolean>;
}) {
  return (
    <section className="panel" aria-labelledby="csp-title" data-testid="csp-section">
      <header className="panel-head">
        <h2 id="csp-title">Content security policy</h2>
      </header>
      <StringListEditor
        label="connect-src (HTTPS, with a path; a trailing / allows everything below)"
        items={view.connect_src}
        disabled={busy}
        testId="perm-connect-src"
        placeholder="https://api.example.com/v1/"
        onAdd={(url) => onEdit({ kind: "grant-connect-src", url, purpose: null })}
        onRemove={(url) => void onEdit({ kind: "revoke-connect-src", url })}
      />
      <StringListEditor
        label="image-src"
        items={view.image_src}
        disabled={busy}
        testId="perm-image-src"
        placeholder="https://images.example.com/"
        onAdd={(url) => onEdit({ kind: "grant-image-src", url })}
        onRemove={(url) => void onEdit({ kind: "revoke-image-src", url })}
      />
      <TextField
        label="Purpose (required whenever a CSP is present)"
        value={view.csp_purpose}

        testId="perm-csp-purpose"
        placeholder="Why the app connects to these hosts"
        onCommit={(purpose) => void onEdit({ kind: "set-csp-purpose", purpose })}
      />
    </section>
  );
}
