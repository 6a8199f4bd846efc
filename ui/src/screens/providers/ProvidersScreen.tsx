import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useProviderLogin } from "../../api/flows";
import { useDashboardRedirectUrls, useManifest, useProviders, useRefreshProvider, useRemoveProvider, useSandboxStatus } from "../../api/queries";
import { CopyButton } from "../../components/CopyButton";
import { ErrorBox } from "../../components/ErrorBox";
import { PROVIDER_LANES, SequenceDiagram } from "../../components/SequenceDiagram";
import { EmptyState, Loading } from "../../components/States";
import { readManifest } from "../../lib/manifestView";
import { relativeTime } from "../../lib/time";
import { AddProviderForm } from "./AddProviderForm";

function DashboardUrls({ manifestPath }: { manifestPath: string }) {
  const manifest = useManifest(manifestPath, manifestPath !== "");
  const sandbox = useSandboxStatus();
  const text = manifest.data?.document.text;
  const manifestId = useMemo(() => {
    if (text === undefined) return "";
    const read = readManifest(text);
    return read.ok ? read.view.id : "";
  }, [text]);
  const appId = manifestId || (sandbox.data?.app_id ?? "");
  const urls = useDashboardRedirectUrls(appId);
  return (
    <section className="panel">
      <div className="panel-head">
        <h2>Dashboard redirect URLs</h2>
        {appId && <code className="small">{appId}</code>}
      </div>
      <p className="muted small">A UI extension that signs in to a provider must register these redirect URLs with it.</p>
      {!appId ? (
        <p className="muted">Open a manifest with an app id to see them.</p>
      ) : urls.isPending ? (
        <Loading />
      ) : urls.isError ? (
        <ErrorBox error={urls.error} compact />
      ) : (
        <ul className="plain-list">
          {urls.data.map((u) => (
            <li key={u} className="url-box" data-testid="dashboard-redirect-url">
              <code>{u}</code> <CopyButton text={u} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Third-party OAuth providers, logged in with authorization code + PKCE through the loopback. */
export function ProvidersScreen({ manifestPath }: { manifestPath: string }) {
  const client = useQueryClient();
  const providers = useProviders();
  const remove = useRemoveProvider();
  const refresh = useRefreshProvider();
  const login = useProviderLogin(client);
  const [loggingIn, setLoggingIn] = useState<string | null>(null);
  const { phase, steps, outcome, error } = login.state;
  const busy = phase === "running";

  let list;
  if (providers.isPending) list = <Loading label="Loading providers…" />;
  else if (providers.isError) list = <ErrorBox error={providers.error} title="Could not list providers" onRetry={() => void providers.refetch()} />;
  else if (providers.data.length === 0)
    list = (
      <EmptyState title="No providers">
        <p className="muted">Add one to run a PKCE login; the local sandbox has a generic provider for trying it offline.</p>
      </EmptyState>
    );
  else
    list = (
      <table className="table">
        <thead>
          <tr>
            <th>Provider</th>
            <th>Scopes</th>
            <th>Login</th>
            <th className="right">Actions</th>
          </tr>
        </thead>
        <tbody>
          {providers.data.map((p) => (
            <tr key={p.name} data-testid="providers-row" data-name={p.name}>
              <td>
                <strong>{p.name}</strong>
                <div className="muted small mono">{p.client_id}</div>
                <div className="muted small mono">{p.authorize_url}</div>
              </td>
              <td className="small">{p.scopes.join(" ") || "—"}</td>
              <td className="small">
                {p.logged_in_at ? `logged in ${relativeTime(p.logged_in_at)}` : "never"}
                {p.access_expires_at && <div className="muted">access {relativeTime(p.access_expires_at)}</div>}
              </td>
              <td>
                <div className="row-actions">
                  <button
                    type="button"
                    className="btn btn-small btn-primary"
                    disabled={busy}
                    data-testid={`provider-login-${p.name}`}
                    onClick={() => {
                      setLoggingIn(p.name);
                      void login.run(p.name);
                    }}
                  >
                    Log in
                  </button>
                  <button type="button" className="btn btn-small" disabled={!p.has_refresh_token || refresh.isPending} onClick={() => refresh.mutate(p.name)} data-testid={`provider-refresh-${p.name}`}>
                    Refresh
                  </button>
                  <button type="button" className="btn btn-small btn-danger" disabled={remove.isPending} onClick={() => remove.mutate(p.name)} data-testid={`provider-remove-${p.name}`}>
                    Remove
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );

  return (
    <div className="two-col">
      <div className="screen">
        <section className="panel">
          <div className="panel-head">
            <h2>OAuth providers</h2>
          </div>
          {list}
          {remove.isError && <ErrorBox error={remove.error} compact />}
          {refresh.isError && <ErrorBox error={refresh.error} title="Refresh failed" compact />}
        </section>
        {phase !== "idle" && (
          <section className="panel" data-testid="pkce-run">
            <div className="panel-head">
              <h2>Login: {loggingIn}</h2>
              <span className={`badge flow-${phase}`} data-testid="provider-login-status" data-phase={phase}>
                {phase}
                {error ? `: ${error.code}` : ""}
              </span>
              {busy && (
                <button type="button" className="btn btn-small btn-danger" onClick={() => void login.cancel()} data-testid="provider-login-cancel">
                  Cancel
                </button>
              )}
            </div>
            {error && <ErrorBox error={error} title="The login failed" />}
            {outcome && (
              <dl className="facts" data-testid="pkce-details">
                <dt>code_verifier</dt>
                <dd className="mono" data-testid="pkce-verifier">{outcome.pkce.code_verifier}</dd>
                <dt>code_challenge</dt>
                <dd className="mono" data-testid="pkce-challenge">{outcome.pkce.code_challenge}</dd>
                <dt>method</dt>
                <dd className="mono">{outcome.pkce.code_challenge_method}</dd>
                <dt>state</dt>
                <dd className="mono">{outcome.pkce.state}</dd>
                <dt>redirect_uri</dt>
                <dd className="mono">{outcome.pkce.redirect_uri}</dd>
                <dt>scopes granted</dt>
                <dd>{outcome.scopes_granted.join(" ") || "—"}</dd>
                <dt>access token</dt>
                <dd className="mono">{outcome.access_token_hint}</dd>
              </dl>
            )}
            <SequenceDiagram steps={steps} lanes={PROVIDER_LANES} live={busy} />
          </section>
        )}
        <DashboardUrls manifestPath={manifestPath} />
      </div>
      <AddProviderForm />
    </div>
  );
}
