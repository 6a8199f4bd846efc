import { useId, useState, type FormEvent } from "react";
import type { SecretScope } from "../../bindings/SecretScope";
import { useInstalls } from "../../api/queries";
import { useDeleteSecret, useFindSecret, useSecretList, useSetSecret } from "../../api/secretQueries";
import { ErrorBox } from "../../components/ErrorBox";
import { ModeBadge } from "../../components/ModeBadge";
import { EmptyState, Loading } from "../../components/States";
import { unixToLocal } from "../../lib/time";

/**
 * The Secret Store as an install sees it: list, find (with payload), set, delete, by scope. Core
 * builds and sends each call; this screen passes the install, scope, name, payload and expiry.
 */
export function SecretStoreScreen() {
  const id = useId();
  const installs = useInstalls();
  const [install, setInstall] = useState("");
  const [scopeType, setScopeType] = useState<"account" | "user">("account");
  const [user, setUser] = useState("");
  const [findName, setFindName] = useState("");
  const [name, setName] = useState("");
  const [payload, setPayload] = useState("");
  const [showPayload, setShowPayload] = useState(false);
  const [expires, setExpires] = useState("");

  const oauth = installs.data?.filter((i) => i.kind === "oauth") ?? [];
  const chosen = install || oauth[0]?.install || "";
  const scope: SecretScope = scopeType === "user" ? { type: "user", user: user.trim() } : { type: "account" };
  const scopeReady = scopeType === "account" || user.trim() !== "";
  const list = useSecretList(chosen, scope, scopeReady);
  const found = useFindSecret();
  const set = useSetSecret();
  const remove = useDeleteSecret();

  const find = (e: FormEvent) => {
    e.preventDefault();
    if (findName.trim()) found.mutate({ install: chosen, scope, name: findName.trim() });
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    const secret = payload;
    setPayload("");
    const expiresAt = expires ? Math.floor(new Date(expires).getTime() / 1000) : undefined;
    remove.reset();
    set.mutate({ install: chosen, scope, name: name.trim(), payload: secret, expiresAt });
  };
  const forget = (secretName: string) => {
    set.reset();
    found.reset();
    remove.mutate({ install: chosen, scope, name: secretName });
  };
  const changed = set.isSuccess || remove.isSuccess;
  const changeError = set.error ?? remove.error;

  if (installs.isPending) return <Loading label="Loading installs…" />;
  if (installs.isError) return <ErrorBox error={installs.error} title="Could not list installs" onRetry={() => void installs.refetch()} />;
  if (oauth.length === 0)
    return (
      <EmptyState title="No install to act as">
        <p className="muted">The Secret Store belongs to an installed app: run the install flow first (Install screen).</p>
      </EmptyState>
    );

  const secrets = list.data?.data ?? [];
  const current = oauth.find((i) => i.install === chosen);
  const foundSecret = found.data ?? null;

  return (
    <div className="two-col">
      <div className="screen">
        <section className="panel">
          <div className="panel-head">
            <h2>Secret Store</h2>
            {current && <ModeBadge mode={current.livemode ? "live" : current.mode} />}
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-inst`}>As install</label>
              <select id={`${id}-inst`} value={chosen} onChange={(e) => setInstall(e.target.value)} data-testid="secrets-install">
                {oauth.map((i) => (
                  <option key={i.install} value={i.install}>
                    {i.install} on {i.stripe_user_id}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-scope`}>Scope</label>
              <select id={`${id}-scope`} value={scopeType} onChange={(e) => setScopeType(e.target.value as "account" | "user")} data-testid="secrets-scope">
                <option value="account">account</option>
                <option value="user">user</option>
              </select>
            </div>
            {scopeType === "user" && (
              <div className="field">
                <label htmlFor={`${id}-user`}>User id</label>
                <input id={`${id}-user`} className="mono" value={user} onChange={(e) => setUser(e.target.value)} placeholder="usr_…" data-testid="secrets-user" />
              </div>
            )}
          </div>
          {!scopeReady ? (
            <p className="muted">A user scope needs the user's id.</p>
          ) : list.isPending ? (
            <Loading label="Listing secrets…" />
          ) : list.isError ? (
            <ErrorBox error={list.error} title="Could not list the secrets" compact />
          ) : secrets.length === 0 ? (
            <p className="muted" data-testid="secrets-empty">
              No secrets in this scope.
            </p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Created</th>
                  <th>Expires</th>
                  <th className="right">Actions</th>
                </tr>
              </thead>
              <tbody>
                {secrets.map((s) => (
                  <tr key={s.id} data-testid="secret-row" data-name={s.name}>
                    <td className="mono">{s.name}</td>
                    <td className="small">{unixToLocal(s.created)}</td>
                    <td className="small">{s.expires_at ? unixToLocal(s.expires_at) : "never"}</td>
                    <td>
                      <div className="row-actions">
                        <button type="button" className="btn btn-small" onClick={() => found.mutate({ install: chosen, scope, name: s.name })} data-testid={`secret-find-${s.name}`}>
                          Show payload
                        </button>
                        <button type="button" className="btn btn-small btn-danger" disabled={remove.isPending} onClick={() => forget(s.name)} data-testid={`secret-delete-${s.name}`}>
                          Delete
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {list.data?.has_more && <p className="muted small">More secrets than one page shows.</p>}
          <button type="button" className="btn btn-small" onClick={() => void list.refetch()} disabled={!scopeReady || list.isFetching}>
            Reload
          </button>
        </section>
        <form className="panel" onSubmit={find}>
          <div className="panel-head">
            <h2>Find</h2>
          </div>
          <div className="inline-form">
            <input aria-label="Secret name to find" className="mono" value={findName} onChange={(e) => setFindName(e.target.value)} placeholder="name" data-testid="secret-find-name" />
            <button type="submit" className="btn" disabled={!scopeReady || !findName.trim()} data-testid="secret-find">
              Find
            </button>
          </div>
          {found.isError && <ErrorBox error={found.error} title="Not found" compact />}
          {foundSecret && (
            <dl className="facts" data-testid="secret-found">
              <dt>name</dt>
              <dd className="mono">{foundSecret.name}</dd>
              <dt>payload</dt>
              <dd className="mono" data-testid="secret-payload">
                {foundSecret.payload ?? "—"}
              </dd>
              <dt>expires_at</dt>
              <dd>{foundSecret.expires_at ? unixToLocal(foundSecret.expires_at) : "never"}</dd>
            </dl>
          )}
        </form>
      </div>
      <form className="panel" onSubmit={save} aria-labelledby={`${id}-set`}>
        <div className="panel-head">
          <h2 id={`${id}-set`}>Set a secret</h2>
          <span className="muted small">Creates or replaces</span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} className="mono" value={name} onChange={(e) => setName(e.target.value)} data-testid="secret-name" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-payload`}>Payload</label>
          <div className="inline-form">
            <input
              id={`${id}-payload`}
              type={showPayload ? "text" : "password"}
              className="mono"
              autoComplete="off"
              value={payload}
              onChange={(e) => setPayload(e.target.value)}
              data-testid="secret-payload-input"
            />
            <button type="button" className="btn btn-small" aria-pressed={showPayload} onClick={() => setShowPayload((s) => !s)}>
              {showPayload ? "Hide" : "Show"}
            </button>
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-exp`}>Expires at (optional)</label>
          <input id={`${id}-exp`} type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} data-testid="secret-expires" />
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={!scopeReady || !name.trim() || set.isPending} data-testid="secret-set">
            Set secret
          </button>
        </div>
        {changeError && <ErrorBox error={changeError} title="Not changed" compact />}
        {changed && (
          <p className="muted small" role="status" data-testid="secret-changed">
            Done.
          </p>
        )}
      </form>
    </div>
  );
}
