import { useId, useState, type FormEvent } from "react";
import { useApps, useSetApp } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";
import { EmptyState, Loading } from "../../components/States";

/**
 * The app's ids per mode (what `appdeck apps set` records): an install on a test or live account
 * needs the OAuth client id, and an unpublished app its external-test channel link; a platform install
 * needs the signing secret to verify `install_signature`. Core checks the values; the signing secret
 * goes to the keychain and is dropped from this form the moment it is submitted.
 */
export function AppCredentialsPanel({ appId: defaultAppId }: { appId?: string }) {
  const id = useId();
  const apps = useApps();
  const set = useSetApp();
  const [appId, setAppId] = useState(defaultAppId ?? "");
  const [live, setLive] = useState(false);
  const [clientId, setClientId] = useState("");
  const [channelLink, setChannelLink] = useState("");
  const [secret, setSecret] = useState("");
  const [saved, setSaved] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const signingSecret = secret.trim() || undefined;
    setSecret("");
    setSaved(null);
    set.mutate(
      { appId: appId.trim(), live, clientId: clientId.trim(), channelLink: channelLink.trim() || undefined, signingSecret },
      { onSuccess: (c) => setSaved(`${c.app_id} (${c.mode})`) },
    );
  };

  let list;
  if (apps.isPending) list = <Loading label="Loading app credentials…" />;
  else if (apps.isError) list = <ErrorBox error={apps.error} title="Could not list app credentials" onRetry={() => void apps.refetch()} compact />;
  else if (apps.data.length === 0)
    list = (
      <EmptyState title="No app credentials">
        <p className="muted">The local sandbox needs none. For a test or live account, copy them from the app's External test tab in the Dashboard.</p>
      </EmptyState>
    );
  else
    list = (
      <table className="table" data-testid="apps-table">
        <thead>
          <tr>
            <th>App</th>
            <th>Mode</th>
            <th>Client id</th>
            <th>Channel link</th>
            <th>Signing secret</th>
          </tr>
        </thead>
        <tbody>
          {apps.data.map((c) => (
            <tr key={`${c.app_id}-${c.mode}`} data-testid="apps-row">
              <td className="mono">{c.app_id}</td>
              <td>{c.mode === "live" ? <span className="badge badge-live">LIVE</span> : c.mode}</td>
              <td className="mono">{c.client_id}</td>
              <td className="mono">{c.channel_link ?? "—"}</td>
              <td>{c.has_signing_secret ? "in the keychain" : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );

  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-testid="app-credentials">
      <div className="panel-head">
        <h2 id={`${id}-h`}>App credentials</h2>
        <span className="muted small">What an install on a test or live account needs (appdeck apps set).</span>
      </div>
      {list}
      <form onSubmit={submit} data-testid="apps-form">
        <div className="field">
          <label htmlFor={`${id}-app`}>App id</label>
          <input id={`${id}-app`} className="mono" value={appId} onChange={(e) => setAppId(e.target.value)} placeholder="com.example.app" data-testid="apps-app-id" required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-mode`}>Mode</label>
          <select id={`${id}-mode`} value={live ? "live" : "test"} onChange={(e) => setLive(e.target.value === "live")} data-testid="apps-mode">
            <option value="test">test (and sandboxes)</option>
            <option value="live">live</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-client`}>OAuth client id</label>
          <input id={`${id}-client`} className="mono" value={clientId} onChange={(e) => setClientId(e.target.value)} placeholder="ca_…" data-testid="apps-client-id" required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-channel`}>Channel link (unpublished apps)</label>
          <input id={`${id}-channel`} className="mono" value={channelLink} onChange={(e) => setChannelLink(e.target.value)} placeholder="chnlink_…" data-testid="apps-channel-link" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-secret`}>Signing secret (platform installs)</label>
          <input
            id={`${id}-secret`}
            type="password"
            className="mono"
            autoComplete="off"
            spellCheck={false}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            placeholder="absec_… (optional)"
            data-testid="apps-signing-secret"
          />
          <div className="field-hint">Stored in the keychain, never on disk and never shown again.</div>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={set.isPending || !appId.trim() || !clientId.trim()} data-testid="apps-save">
            {set.isPending ? "Saving…" : "Save credentials"}
          </button>
          {saved && (
            <span className="muted" role="status" data-testid="apps-saved">
              Saved for {saved}.
            </span>
          )}
        </div>
        {set.isError && <ErrorBox error={set.error} title="The credentials were not saved" />}
      </form>
    </section>
  );
}
