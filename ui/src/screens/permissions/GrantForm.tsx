import { useId, useState } from "react";

/** Inline purpose form: like `stripe apps grant permission NAME "PURPOSE"`, the purpose is required. */
export function GrantForm({
  permission,
  busy,
  onGrant,
  onCancel,
}: {
  permission: string;
  busy: boolean;
  onGrant: (purpose: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [purpose, setPurpose] = useState("");
  const [missing, setMissing] = useState(false);
  const submit = () => {
    const value = purpose.trim();
    if (!value) {
      setMissing(true);
      return;
    }
    onGrant(value);
  };
  return (
    <div className="grant-form" data-testid={`grant-form-${permission}`}>
      <label htmlFor={id}>
        Purpose for <code>{permission}</code> <span className="muted small">(shown to installers and app review)</span>
      </label>
      <div className="inline-form">
        <input
          id={id}
          autoFocus
          value={purpose}
          disabled={busy}
          placeholder="e.g. Show the customer's order history"
          data-testid="grant-purpose-input"
          aria-invalid={missing}
          aria-describedby={missing ? `${id}-err` : undefined}
          onChange={(e) => {
            setPurpose(e.target.value);
            if (e.target.value.trim()) setMissing(false);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              submit();
            } else if (e.key === "Escape") onCancel();
          }}
        />
        <button type="button" className="btn btn-primary" disabled={busy} onClick={submit} data-testid="grant-confirm">
          {busy ? "Granting…" : "Grant"}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
      {missing && (
        <p className="field-error" id={`${id}-err`} role="alert" data-testid="grant-purpose-required">
          A purpose is required.
        </p>
      )}
    </div>
  );
}
