import { useSandboxStatus, useSetAutoConsent } from "../../api/queries";
import { CopyButton } from "../../components/CopyButton";
import { ErrorBox } from "../../components/ErrorBox";
import { Loading } from "../../components/States";

/** The embedded local Stripe: what runs, where, for which developer account and app. */
export function SandboxScreen() {
  const sandbox = useSandboxStatus();
  const autoConsent = useSetAutoConsent();
  if (sandbox.isPending) return <Loading label="Asking the sandbox…" />;
  if (sandbox.isError) return <ErrorBox error={sandbox.error} title="The sandbox status is not available" onRetry={() => void sandbox.refetch()} />;
  const s = sandbox.data;
  return (
    <div className="screen narrow">
      <section className="panel">
        <div className="panel-head">
          <h2>Local sandbox</h2>
          <span className={`badge sandbox-${s.state}`} data-testid="sandbox-state">
            {s.state}
          </span>
        </div>
        {s.state === "failed" && (
          <div className="banner banner-danger" role="alert">
            The sandbox failed to start{s.message ? `: ${s.message}` : "."} Accounts with real Stripe keys still work.
          </div>
        )}
        {s.state === "starting" && <Loading label="Starting the sandbox…" />}
        {s.state === "running" && s.message && (
          <p className="muted small" data-testid="sandbox-note">
            {s.message}
          </p>
        )}
        <dl className="facts">
          <dt>Base URL</dt>
          <dd>
            {s.base_url ? (
              <>
                <code data-testid="sandbox-base-url">{s.base_url}</code> <CopyButton text={s.base_url} testId="copy-base-url" />
              </>
            ) : (
              <span className="muted">not listening</span>
            )}
          </dd>
          <dt>Developer account</dt>
          <dd>{s.account_id ? <code>{s.account_id}</code> : <span className="muted">none yet</span>}</dd>
          <dt>Registered app</dt>
          <dd>{s.app_id ? <code>{s.app_id}</code> : <span className="muted">no manifest registered</span>}</dd>
          <dt>Registered from</dt>
          <dd>
            {s.registered_from ? (
              <>
                <code data-testid="sandbox-registered-from">{s.registered_from}</code>
                <div className="muted small">
                  As <code>stripe apps upload</code> reads it: stripe-app.json alone. Extension manifests (stripe-app.dev.json) are for{" "}
                  <code>stripe apps start</code> only, and redirect URIs must match an allowed one exactly.
                </div>
              </>
            ) : (
              <span className="muted">no file</span>
            )}
          </dd>
          <dt>Auto-consent</dt>
          <dd>
            <label className="field-checkbox">
              <input
                type="checkbox"
                checked={s.auto_consent}
                disabled={autoConsent.isPending || s.state !== "running"}
                data-testid="sandbox-auto-consent"
                onChange={(e) => autoConsent.mutate(e.target.checked)}
              />
              Answer the authorize URL at once with the first install account (for automation)
            </label>
          </dd>
        </dl>
        {autoConsent.isError && <ErrorBox error={autoConsent.error} title="Auto-consent was not changed" compact />}
        <p className="muted small">
          The sandbox emulates Stripe on 127.0.0.1 only: accounts, install links and OAuth, the API with permissions, and the Secret Store. Its
          test keys are safe to show; tokens from installs still go to the keychain.
        </p>
      </section>
    </div>
  );
}
