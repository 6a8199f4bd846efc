import type { AccountKind } from "../../bindings/AccountKind";
import type { InstallRecord } from "../../bindings/InstallRecord";
import { useAccounts, useForgetInstall, useInstalls, useRefreshInstall } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";
import { KindBadge } from "../accounts/KindBadge";
import { EmptyState, Loading } from "../../components/States";
import { isPast, relativeTime } from "../../lib/time";

/** The kind to show for an install: its developer account's (a live install is always live). */
function kindOf(i: InstallRecord, kinds: Map<string, AccountKind>): AccountKind {
  if (i.livemode) return "live";
  // An account removed since: its mode is all there is to show.
  return kinds.get(i.account) ?? (i.mode === "local" ? "local" : i.mode === "live" ? "live" : "test");
}

/** Installs and their tokens, masked: refresh on demand, or forget (deletes the keychain entries). */
export function InstallsList() {
  const installs = useInstalls();
  const accounts = useAccounts();
  const kinds = new Map((accounts.data?.accounts ?? []).map((a) => [a.name, a.kind] as const));
  const refresh = useRefreshInstall();
  const forget = useForgetInstall();

  let body;
  if (installs.isPending) body = <Loading label="Loading installs…" />;
  else if (installs.isError) body = <ErrorBox error={installs.error} title="Could not list installs" onRetry={() => void installs.refetch()} />;
  else if (installs.data.length === 0)
    body = (
      <EmptyState title="No installs yet">
        <p className="muted">Run the install flow above; the install and its tokens appear here.</p>
      </EmptyState>
    );
  else
    body = (
      <table className="table" data-testid="installs-table">
        <thead>
          <tr>
            <th>Install</th>
            <th>Account</th>
            <th>Tokens</th>
            <th>Access expires</th>
            <th>Status</th>
            <th className="right">Actions</th>
          </tr>
        </thead>
        <tbody>
          {installs.data.map((i) => {
            const reauth = i.status === "needs-reauthorization";
            const expired = isPast(i.access_expires_at);
            return (
              <tr key={i.install} data-testid="installs-row" data-install={i.install} data-status={i.status} className={reauth ? "row-reauth" : undefined}>
                <td>
                  <code>{i.install}</code>
                  <div className="muted small">
                    {i.kind} · {i.app}
                  </div>
                </td>
                <td>
                  {i.account} <KindBadge kind={kindOf(i, kinds)} mode={i.livemode ? "live" : i.mode} />
                  <div className="muted small mono">{i.stripe_user_id}</div>
                </td>
                <td className="mono small">
                  {i.access_token_hint ? (
                    <>
                      <div title="access token (masked)" data-testid="access-hint">
                        {i.access_token_hint}
                      </div>
                      <div title="refresh token (masked)" className="muted">
                        {i.refresh_token_hint ?? "no refresh token"}
                      </div>
                    </>
                  ) : (
                    <span className="muted">none (platform)</span>
                  )}
                </td>
                <td title={i.access_expires_at ?? undefined} className={expired ? "text-bad" : undefined} data-testid="access-expiry">
                  {i.access_expires_at ? (expired ? `expired ${relativeTime(i.access_expires_at)}` : relativeTime(i.access_expires_at)) : "—"}
                </td>
                <td>
                  <span className={`badge ${reauth ? "status-reauth" : "status-active"}`}>{reauth ? "needs re-authorization" : "active"}</span>
                </td>
                <td>
                  <div className="row-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={i.kind !== "oauth" || (refresh.isPending && refresh.variables === i.install)}
                      data-testid={`install-refresh-${i.install}`}
                      onClick={() => refresh.mutate(i.install)}
                    >
                      {refresh.isPending && refresh.variables === i.install ? "Refreshing…" : "Refresh"}
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      disabled={forget.isPending && forget.variables === i.install}
                      data-testid={`install-forget-${i.install}`}
                      onClick={() => forget.mutate(i.install)}
                    >
                      Forget
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    );

  return (
    <section className="panel">
      <div className="panel-head">
        <h2>Installs and tokens</h2>
        <button type="button" className="btn btn-small" onClick={() => void installs.refetch()} disabled={installs.isFetching}>
          Reload
        </button>
      </div>
      {body}
      {refresh.isError && <ErrorBox error={refresh.error} title={`Could not refresh ${refresh.variables ?? ""}`} compact />}
      {forget.isError && <ErrorBox error={forget.error} title={`Could not forget ${forget.variables ?? ""}`} compact />}
    </section>
  );
}
