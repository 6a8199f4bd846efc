import { useId, useState, type FormEvent } from "react";
import { useAddAccount } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";

/**
 * Paste a key: it goes to `accounts_add` (straight to the keychain) and is dropped from this
 * component's state the moment the form is submitted, success or not. It is never displayed.
 */
export function AddAccountForm() {
  const id = useId();
  const add = useAddAccount();
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [apiBase, setApiBase] = useState("");
  const [skipCheck, setSkipCheck] = useState(false);
  const [sandbox, setSandbox] = useState(false);
  const [added, setAdded] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const secret = key;
    setKey("");
    setAdded(null);
    if (!name.trim() || !secret.trim()) return;
    add.mutate(
      { name: name.trim(), key: secret.trim(), apiBase: apiBase.trim() || undefined, skipCheck, sandbox },
      {
        onSuccess: (profile) => {
          setAdded(profile.name);
          setName("");
          setApiBase("");
          setSkipCheck(false);
          setSandbox(false);
        },
      },
    );
  };

  return (
    <form className="panel" onSubmit={submit} aria-labelledby={`${id}-h`} data-testid="add-account-form">
      <div className="panel-head">
        <h2 id={`${id}-h`}>Add an account</h2>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. qa-sandbox" data-testid="account-name" required />
      </div>
      <div className="field">
        <label htmlFor={`${id}-key`}>Secret or restricted key</label>
        <input
          id={`${id}-key`}
          type="password"
          className="mono"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder="sk_test_… or rk_test_…"
          data-testid="account-key"
          required
        />
        <div className="field-hint">Stored in the keychain, never on disk and never shown again. A live key (sk_live_…) is flagged everywhere.</div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-base`}>API base (optional)</label>
        <input id={`${id}-base`} className="mono" value={apiBase} onChange={(e) => setApiBase(e.target.value)} placeholder="https://api.stripe.com" data-testid="account-api-base" />
      </div>
      <label className="field-checkbox">
        <input type="checkbox" checked={sandbox} onChange={(e) => setSandbox(e.target.checked)} data-testid="account-sandbox" aria-describedby={`${id}-sandbox-hint`} />
        This key belongs to a Stripe sandbox
      </label>
      <div className="field-hint" id={`${id}-sandbox-hint`}>
        Sandbox keys look like test keys (sk_test_…, rk_test_…), so only you can tell. The account is then shown as a sandbox wherever the mode is, and the
        install checklist checks what a sandbox install needs.
      </div>
      <label className="field-checkbox">
        <input type="checkbox" checked={skipCheck} onChange={(e) => setSkipCheck(e.target.checked)} data-testid="account-skip-check" />
        Skip the <code>GET /v1/account</code> check (servers that lack it)
      </label>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={add.isPending || !name.trim()} data-testid="account-add">
          {add.isPending ? "Checking the key…" : "Add account"}
        </button>
        {added && (
          <span className="muted" role="status" data-testid="account-added">
            Added {added}.
          </span>
        )}
      </div>
      {add.isError && <ErrorBox error={add.error} title="The account was not added" />}
    </form>
  );
}
