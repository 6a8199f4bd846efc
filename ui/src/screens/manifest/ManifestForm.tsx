import type { ReactNode } from "react";
import type { ManifestEdit } from "../../bindings/ManifestEdit";
import { ErrorBox } from "../../components/ErrorBox";
import { CheckboxField, SelectField, TextField } from "../../components/fields";
import { StringListEditor } from "../../components/StringListEditor";
import type { ManifestRead } from "../../bindings/ManifestRead";
import { PostInstallEditor } from "./PostInstallEditor";
import { ViewsEditor } from "./ViewsEditor";
import { ACCESS_TYPES, DISTRIBUTION_TYPES } from "../../bindings/fieldChoices";

export type FormSection = "identity" | "access" | "redirects" | "views" | "csp" | "post-install";

export interface FormError {
  section: FormSection;
  error: unknown;
}

function Section({ title, section, error, children }: { title: string; section: FormSection; error: FormError | null; children: ReactNode }) {
  return (
    <fieldset className="form-section" data-testid={`section-${section}`}>
      <legend>{title}</legend>
      {children}
      {error?.section === section && <ErrorBox error={error.error} title="Change not applied" compact />}
    </fieldset>
  );
}

/** Every field of the manifest; each change is a `ManifestEdit` previewed by the core on the buffer. */
export function ManifestForm({
  read,
  busy,
  error,
  onEdit,
  onManagePermissions,
}: {
  /** Core's view of the buffer's fields (or why there is none). */
  read: ManifestRead;
  busy: boolean;
  error: FormError | null;
  onEdit: (section: FormSection, edit: ManifestEdit) => Promise<boolean>;
  onManagePermissions: () => void;
}) {
  if (read.kind === "unreadable") {
    return (
      <div className="form-unavailable" data-testid="form-unavailable">
        <h3>The form needs valid JSON</h3>
        <p className="muted">Fix the syntax problems in the JSON editor; the form comes back as soon as the manifest parses.</p>
        <p className="mono small" data-testid="unreadable-reason">{read.reason}</p>
      </div>
    );
  }
  const v = read.view;
  const edit = (section: FormSection) => (e: ManifestEdit) => onEdit(section, e);
  return (
    <form className="manifest-form" onSubmit={(e) => e.preventDefault()} aria-label="Manifest fields">
      <Section title="Identity" section="identity" error={error}>
        <TextField label="ID" value={v.id} mono testId="field-id" placeholder="com.example.my-app"
          onCommit={(value) => void onEdit("identity", { kind: "set-id", value })} />
        <TextField label="Name" value={v.name} testId="field-name"
          onCommit={(value) => void onEdit("identity", { kind: "set-name", value })} />
        <div className="field-row">
          <TextField label="Version" value={v.version} mono testId="field-version"
            onCommit={(value) => void onEdit("identity", { kind: "set-version", value })} />
          <TextField label="Icon" value={v.icon} mono testId="field-icon" placeholder="./icon.png"
            onCommit={(value) => void onEdit("identity", { kind: "set-icon", value })} />
        </div>
      </Section>

      <Section title="Distribution and access" section="access" error={error}>
        <div className="field-row">
          <SelectField label="Distribution" value={v.distribution_type} disabled={busy} testId="field-distribution"
            options={DISTRIBUTION_TYPES.map((value) => ({ value }))}
            onChange={(value) => void onEdit("access", { kind: "set-distribution", value })} />
          <SelectField label="Stripe API access" value={v.access_type} disabled={busy} testId="field-access-type"
            options={ACCESS_TYPES.map((value) => ({ value }))}
            onChange={(value) => void onEdit("access", { kind: "set-access-type", value })} />
        </div>
        <CheckboxField label="Installable in sandboxes (sandbox_install_compatible)" checked={v.sandbox_install_compatible}
          disabled={busy} testId="field-sandbox-install"
          onChange={(value) => void onEdit("access", { kind: "set-sandbox-install-compatible", value })} />
      </Section>

      <Section title="Allowed redirect URIs" section="redirects" error={error}>
        <StringListEditor label="Redirect URIs (the first is the default)" items={v.redirect_uris} disabled={busy} testId="redirect-uris"
          placeholder="https://example.com/installed" emptyText="None. OAuth apps need at least one."
          onAdd={(uri) => edit("redirects")({ kind: "add-redirect-uri", uri })}
          onRemove={(uri) => void onEdit("redirects", { kind: "remove-redirect-uri", uri })} />
      </Section>

      <Section title="UI extension" section="views" error={error}>
        <ViewsEditor views={v.views} disabled={busy} onEdit={edit("views")} />
      </Section>

      <Section title="Content security policy" section="csp" error={error}>
        <StringListEditor label="connect-src" items={v.connect_src} disabled={busy} testId="connect-src"
          placeholder="https://api.example.com/v1/"
          onAdd={(url) => edit("csp")({ kind: "grant-connect-src", url, purpose: null })}
          onRemove={(url) => void onEdit("csp", { kind: "revoke-connect-src", url })} />
        <StringListEditor label="image-src" items={v.image_src} disabled={busy} testId="image-src"
          placeholder="https://images.example.com/"
          onAdd={(url) => edit("csp")({ kind: "grant-image-src", url })}
          onRemove={(url) => void onEdit("csp", { kind: "revoke-image-src", url })} />
        <TextField label="CSP purpose" value={v.csp_purpose} testId="field-csp-purpose"
          placeholder="Why the app connects to these hosts"
          onCommit={(purpose) => void onEdit("csp", { kind: "set-csp-purpose", purpose })} />
      </Section>

      <Section title="After install" section="post-install" error={error}>
        <PostInstallEditor type={v.post_install_type} url={v.post_install_url} disabled={busy} onEdit={edit("post-install")} />
      </Section>

      <fieldset className="form-section">
        <legend>Permissions</legend>
        <p className="muted small">
          {v.permissions.length === 0 ? "No permissions granted." : v.permissions.map((p) => p.permission).join(", ")}
        </p>
        <button type="button" className="btn" onClick={onManagePermissions}>
          Manage permissions…
        </button>
      </fieldset>
    </form>
  );
}
