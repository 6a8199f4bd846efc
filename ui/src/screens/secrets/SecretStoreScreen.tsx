import { useEffect, useId, useState, type FormEvent } from "react";
import type { ApiRequest } from "../../bindings/ApiRequest";
import type { ApiResponse } from "../../bindings/ApiResponse";
import { toAppError, type AppError } from "../../api/errors";
import { useApiSend, useInstalls } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";
import { ModeBadge } from "../../components/ModeBadge";
import { EmptyState, Loading } from "../../components/States";
import { deleteSecret, findSecret, listSecrets, setSecret, type SecretScope, type StoredSecret } from "../../lib/secrets";
import { unixToLocal } from "../../lib/time";

type Outcome = { ok: true; body: unknown } | { ok: false; response: ApiResponse } | { ok: false; error: AppError };

function StripeError({ response }: { response: ApiResponse }) {
  const e = response.stripe_error;
  return (
    <div className="error-box" role="alert" data-testid="secret-api-error">
      <div className="error-head">
        <strong>Stripe answered {response.status}</strong>
        {e?.code && <code className="error-code">{e.code}</code>}
      </div>
      <p className="error-message">{e?.message ?? response.body.slice(0, 400)}</p>
    </div>
  );
}

function OutcomeError({ outcome }: { outcome: Outcome | null }) {
  if (!outcome || outcome.ok) return null;
  return "response" in outcome ? <StripeError response={outcome.response} /> : <ErrorBox error={outcome.error} compact />;
}

/** The Secret Store as an install sees it: list, find (with payload), set, delete, by scope. */
export function SecretStoreScreen() {
  const id = useId();
  const installs = useInstalls();
  const send = useApiSend();
  const [install, setInstall] = useState("");
  const [scopeType, setScopeType] = useState<"account" | "user">("account");
  const [user, setUser] = useState("");
  const [list, setList] = useState<{ key: string; outcome: Outcome } | null>(null);
  const [found, setFound] = useState<Outcome | null>(null);
  const [changed, setChanged] = useState<Outcome | null>(null);
  const [findName, setFindName] = useState("");
  const [name, setName] = useState("");
  const [payload, setPayload] = useState("");
  const [showPayload, setShowPayload] = useState(false);
  const [expires, setExpires] = useState("");

  const oauth = installs.data?.filter((i) => i.kind === "oauth") ?? [];
  const chosen = install || oauth[0]?.install || "";
  const scope: SecretScope = scopeType === "user" ? { type: "user", user: user.trim() } : { type: "account" };
  const scopeReady = scopeType === "account" || user.trim() !== "";
  const listKey = `${chosen}|${scopeType}|${user.trim()}`;

  const call = async (request: ApiRequest): Promise<Outcome> => {
    try {
      const response = await send.mutateAsync(request);
      if (response.status >= 200 && response.status < 300) return { ok: true, body: JSON.parse(response.body) as unknown };
      return { ok: false, response };
    } catch (e) {
      return { ok: false, error: toAppError(e) };
    }
  };
  const refresh = async () => {
    if (!chosen || !scopeReady) return;
    const key = listKey;
    const outcome = await call(listSecrets(chosen, scope, 100));
    setList({ key, outcome });
  };

  useEffect(() => {
    if (!chosen || !scopeReady) return;
    let live = true;
    void (async () => {
      try {
        const response = await send.mutateAsync(listSecrets(chosen, scopeType === "user" ? { type: "user", user: user.trim() } : { type: "account" }, 100));
        const outcome: Outcome = response.status < 300 ? { ok: true, body: JSON.parse(response.body) as unknown } : { ok: false, response };
        if (live) setList({ key: listKey, outcome });
      } catch (e) {
        if (live) setList({ key: listKey, outcome: { ok: false, error: toAppError(e) } });
      }
    })();
    return () => {
      live = false;
    };
    // Reload when the install or scope changes; `send` is stable enough and not a trigger.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [listKey, scopeReady]);

  const find = async (e: FormEvent) => {
    e.preventDefault();
    if (!findName.trim()) return;
    setFound(await call(findSecret(chosen, scope, findName.trim())));
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    const secret = payload;
    setPayload("");
    const at = expires ? Math.floor(new Date(expires).getTime() / 1000) : undefined;
    setChanged(await call(setSecret(chosen, scope, name.trim(), secret, at)));
    void refresh();
  };
  const remove = async (secretName: string) => {
    setChanged(await call(deleteSecret(chosen, scope, secretName)));
    setFound(null);
    void refresh();
  };

  if (installs.isPending) return <Loading label="Loading installs…" />;
  if (installs.isError) return <ErrorBox error={installs.error} title="Could not list installs" onRetry={() => void installs.refetch()} />;
  if (oauth.length === 0)
    return (
      <EmptyState title="No install to act as">
        <p className="muted">The Secret Store belongs to an installed app: run the install flow first (Install screen).</p>
      </EmptyState>
    );

  const shownList = list?.key === listKey ? list.outcome : null;
  const secrets = shownList?.ok ? ((shownList.body as { data?: StoredSecret[] }).data ?? []) : [];
  const current = oauth.find((i) => i.install === chosen);
  const foundSecret = found?.ok ? (found.body as StoredSecret) : null;

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
          ) : !shownList ? (
            <Loading label="Listing secrets…" />
          ) : !shownList.ok ? (
            <OutcomeError outcome={shownList} />
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
                        <button type="button" className="btn btn-small" onClick={() => void call(findSecret(chosen, scope, s.name)).then(setFound)} data-testid={`secret-find-${s.name}`}>
                          Show payload
                        </button>
                        <button type="button" className="btn btn-small btn-danger" onClick={() => void remove(s.name)} data-testid={`secret-delete-${s.name}`}>
                          Delete
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <button type="button" className="btn btn-small" onClick={() => void refresh()} disabled={!scopeReady || send.isPending}>
            Reload
          </button>
        </section>
        <form className="panel" onSubmit={(e) => void find(e)}>
          <div className="panel-head">
            <h2>Find</h2>
          </div>
          <div className="inline-form">
            <input aria-label="Secret name to find" className="mono" value={findName} onChange={(e) => setFindName(e.target.value)} placeholder="name" data-testid="secret-find-name" />
            <button type="submit" className="btn" disabled={!scopeReady || !findName.trim()} data-testid="secret-find">
              Find
            </button>
          </div>
          <OutcomeError outcome={found} />
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
      <form className="panel" onSubmit={(e) => void save(e)} aria-labelledby={`${id}-set`}>
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
          <button type="submit" className="btn btn-primary" disabled={!scopeReady || !name.trim() || send.isPending} data-testid="secret-set">
            Set secret
          </button>
        </div>
        <OutcomeError outcome={changed} />
        {changed?.ok && (
          <p className="muted small" role="status" data-testid="secret-changed">
            Done.
          </p>
        )}
      </form>
    </div>
  );
}
