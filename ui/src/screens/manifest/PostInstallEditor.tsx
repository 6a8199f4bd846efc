import type { ManifestEdit } from "../../bindings/ManifestEdit";
import { SelectField, TextField } from "../../components/fields";
import { POST_INSTALL_TYPES } from "../../bindings/fieldChoices";

const NONE = "(none)";

export function PostInstallEditor({
  type,
  url,
  disabled,
  onEdit,
}: {
  type: string | null;
  url: string;
  disabled: boolean;
  onEdit: (edit: ManifestEdit) => Promise<boolean>;
}) {
  const set = (actionType: string | null, nextUrl: string | null) =>
    void onEdit({ kind: "set-post-install-action", action_type: actionType, url: nextUrl });
  return (
    <div className="field-row">
      <SelectField
        label="Post-install action"
        value={type ?? NONE}
        disabled={disabled}
        testId="post-install-type"
        options={[{ value: NONE }, ...POST_INSTALL_TYPES.map((value) => ({ value }))]}
        onChange={(v) => set(v === NONE ? null : v, v === "external" ? url || null : null)}
      />
      {type === "external" && (
        <TextField
          label="External URL"
          value={url}
          mono
          disabled={disabled}
          placeholder="https://example.com/welcome"
          testId="post-install-url"
          onCommit={(v) => set("external", v)}
        />
      )}
    </div>
  );
}
