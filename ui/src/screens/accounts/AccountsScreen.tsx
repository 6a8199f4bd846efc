import { useState } from "react";
import { useAccounts, useRemoveAccount, useSwitchAccount } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";
import { EmptyState, Loading } from "../../components/States";
import { AddAccountForm } from "./AddAccountForm";
import { AppCredentialsPanel } from "./AppCredentialsPanel";
import { KindBadge } from "./KindBadge";
import "./accounts.css";

/** Accounts: name, account id, kind (local, test, sandbox, LIVE) and credential kind; keys stay in the keychain. */
export function AccountsScreen() {
  const accounts = useAccounts();
  const remove = useRemoveAccount();
  const use = useSwitchAccount();
  const [confirming, setConfirming] = useState<string | null>(null);

  let list;
  if (accounts.isPending) list = <Loading label="Loading accounts…" />;
  else if (accounts.isError) list = <ErrorBox error={accounts.error} title="Could not list accounts" onRetry={() => void accounts.refetch()} />;
  else if (accounts.data.accounts.length === 0)
    list = (
      <EmptyState title="No accounts">
        <p className="muted">Add a sandbox account with its secret key; the local sandbox's account appears on its own once it runs.</p>
      </EmptyState>
    );
  else
    list = (
      <div className="accounts-table-wrap">
        <table className="table" data-testid="accounts-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Account</th>
              <th>Key</th>
              <th className="right">Actions</th>
            </tr>
          </thead>
          <tbody>
            {accounts.data.accounts.map((a) => {
              const current = a.name === accounts.data.current;
              return (
                <tr key={a.name} data-testid="accounts-row" data-name={a.name} data-kind={a.kind} className={`${current ? "current-row" : ""}${a.mode === "live" ? " row-live" : ""}`}>
                  <td>
                    <strong>{a.name}</strong> {current && <span className="badge badge-ok" data-testid="current-badge">current</span>}
                    {a.display_name && <div className="muted small">{a.display_name}</div>}
                  </td>
                  <td>
                    <KindBadge kind={a.kind} mode={a.mode} />
                  </td>
                  <td>
                    <code>{a.account_id}</code>
                    <div className="muted small mono">{a.api_base}</div>
                  </td>
                  <td className="small">{a.credential === "restricted-key" ? "restricted key" : "secret key"} (keychain)</td>
                  <td>
                    {confirming === a.name ? (
                      <div className="confirm" role="alertdialog" aria-label={`Remove ${a.name}?`}>
                        <p className="small">Remove {a.name} and delete its keychain entries?</p>
                        <div className="row-actions">
                          <button
                            type="button"
                            className="btn btn-small btn-danger"
                            autoFocus
                            disabled={remove.isPending}
                            data-testid="account-remove-confirm"
                            onClick={() => remove.mutate(a.name, { onSettled: () => setConfirming(null) })}
                          >
                            Remove
                          </button>
                          <button type="button" className="btn btn-small" onClick={() => setConfirming(null)}>
                            Keep
                          </button>
                        </div>
                      </div>
                    ) : (
                      <div className="row-actions">
                        <button type="button" className="btn btn-small" disabled={current || use.isPending} data-testid={`account-use-${a.name}`} onClick={() => use.mutate(a.name)}>
                          Use
                        </button>
                        <button type="button" className="btn btn-small btn-danger" data-testid={`account-remove-${a.name}`} onClick={() => setConfirming(a.name)}>
                          Remove…
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    );

  return (
    <div className="two-col">
      <section className="panel">
        <div className="panel-head">
          <h2>Accounts</h2>
          <span className="muted small">The current account is used by install links, the install flow and API calls by default.</span>
        </div>
        {list}
        {remove.isError && <ErrorBox error={remove.error} title="The account was not removed" compact />}
        {use.isError && <ErrorBox error={use.error} title="Could not switch accounts" compact />}
      </section>
      <div className="stack">
        <AddAccountForm />
        <AppCredentialsPanel />
      </div>
    </div>
  );
}
