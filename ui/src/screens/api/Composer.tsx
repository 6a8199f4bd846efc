import { useId } from "react";
import { useAccounts, useInstalls } from "../../api/queries";
import { newRow, type Draft, type Row } from "./draft";
import { PathInput } from "./PathInput";

const METHODS = ["GET", "POST", "DELETE"];

function Rows({ rows, onChange }: { rows: Row[]; onChange: (rows: Row[]) => void }) {
  const set = (id: number, patch: Partial<Row>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <div className="param-rows" data-testid="api-params">
      {rows.map((r, i) => (
        <div className="param-row" key={r.id}>
          <input
            className="mono"
            aria-label={`Parameter ${i + 1} key`}
            placeholder="metadata[plan]"
            value={r.key}
            data-testid="api-param-key"
            onChange={(e) => set(r.id, { key: e.target.value })}
          />
          <input className="mono" aria-label={`Parameter ${i + 1} value`} placeholder="value" value={r.value} data-testid="api-param-value" onChange={(e) => set(r.id, { value: e.target.value })} />
          <button type="button" className="btn-icon" aria-label={`Remove parameter ${i + 1}`} onClick={() => onChange(rows.length > 1 ? rows.filter((x) => x.id !== r.id) : [newRow()])}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-small" onClick={() => onChange([...rows, newRow()])} data-testid="api-param-add">
        + Parameter
      </button>
      <span className="muted small"> Bracket keys nest: <code>metadata[plan]</code>, <code>expand[]</code>, <code>items[0][price]</code>.</span>
    </div>
  );
}

/** Method, path, who to call as, parameters and headers. */
export function Composer({
  draft,
  onChange,
  onSend,
  sending,
  blocked,
}: {
  draft: Draft;
  onChange: (d: Draft) => void;
  onSend: () => void;
  sending: boolean;
  /** Why sending is not allowed right now (live lock), or null. */
  blocked: string | null;
}) {
  const id = useId();
  const accounts = useAccounts();
  const installs = useInstalls();
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  const canRaw = draft.method !== "GET";
  return (
    <form
      className="panel composer"
      aria-label="Request"
      onSubmit={(e) => {
        e.preventDefault();
        onSend();
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          onSend();
        }
      }}
    >
      <div className="composer-line">
        <label htmlFor={`${id}-m`} className="sr-only">
          Method
        </label>
        <select id={`${id}-m`} value={draft.method} onChange={(e) => set({ method: e.target.value })} data-testid="api-method" className="method-select">
          {METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <PathInput method={draft.method} value={draft.path} onChange={(path) => set({ path })} onSubmit={onSend} />
        <button type="submit" className="btn btn-primary" disabled={sending || blocked !== null || draft.path.trim() === ""} data-testid="api-send" title={blocked ?? "Send (Ctrl+Enter)"}>
          {sending ? "Sending…" : "Send"}
        </button>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-as`}>As</label>
          <select id={`${id}-as`} value={draft.as} onChange={(e) => set({ as: e.target.value })} data-testid="api-as">
            <optgroup label="Accounts (secret or restricted key)">
              <option value="account:">Current account{accounts.data?.current ? ` (${accounts.data.current})` : ""}</option>
              {accounts.data?.accounts.map((a) => (
                <option key={a.name} value={`account:${a.name}`}>
                  {a.name} — {a.mode === "live" ? "LIVE" : a.mode}
                </option>
              ))}
            </optgroup>
            <optgroup label="Installs (the app's OAuth token)">
              {installs.data
                ?.filter((i) => i.kind === "oauth")
                .map((i) => (
                  <option key={i.install} value={`install:${i.install}`}>
                    {i.install} on {i.stripe_user_id} — {i.livemode ? "LIVE" : i.mode}
                    {i.status === "needs-reauthorization" ? " (needs re-authorization)" : ""}
                  </option>
                ))}
            </optgroup>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-sa`}>Stripe-Account</label>
          <input id={`${id}-sa`} className="mono" value={draft.stripeAccount} placeholder="acct_…" onChange={(e) => set({ stripeAccount: e.target.value })} data-testid="api-stripe-account" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-sv`}>Stripe-Version</label>
          <input id={`${id}-sv`} className="mono" value={draft.stripeVersion} placeholder="account default" onChange={(e) => set({ stripeVersion: e.target.value })} data-testid="api-stripe-version" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-ik`}>Idempotency-Key</label>
          <input
            id={`${id}-ik`}
            className="mono"
            value={draft.idempotencyKey}
            placeholder={draft.method === "POST" ? "generated for POST" : "—"}
            onChange={(e) => set({ idempotencyKey: e.target.value })}
            data-testid="api-idempotency-key"
          />
        </div>
      </div>
      <div className="composer-body">
        <div className="form-actions">
          <span className="label">{draft.rawMode && canRaw ? "Raw form body" : "Parameters"}</span>
          <label className="field-checkbox small">
            <input type="checkbox" checked={draft.rawMode} disabled={!canRaw} onChange={(e) => set({ rawMode: e.target.checked })} data-testid="api-raw-toggle" />
            Raw body
          </label>
        </div>
        {draft.rawMode && canRaw ? (
          <textarea
            className="mono"
            rows={3}
            aria-label="Raw form body"
            value={draft.rawBody}
            placeholder="email=a%40example.com&metadata[plan]=pro"
            onChange={(e) => set({ rawBody: e.target.value })}
            data-testid="api-raw-body"
          />
        ) : (
          <Rows rows={draft.rows} onChange={(rows) => set({ rows })} />
        )}
      </div>
      {blocked && (
        <p className="field-error" data-testid="api-blocked">
          {blocked}
        </p>
      )}
    </form>
  );
}
