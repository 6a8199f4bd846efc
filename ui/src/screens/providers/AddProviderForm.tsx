import { useId, useState, type FormEvent } from "react";
import { useAddProvider } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";

/** `key=value` lines (or `&`-separated) into pairs; blank lines skipped. */
export function parseParams(text: string): [string, string][] {
  return text
    .split(/[\n&]/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const at = l.indexOf("=");
      return (at < 0 ? [l, ""] : [l.slice(0, at).trim(), l.slice(at + 1).trim()]) as [string, string];
    });
}

export function AddProviderForm() {
  const id = useId();
  const add = useAddProvider();
  const [name, setName] = useState("");
  const [authorizeUrl, setAuthorizeUrl] = useState("");
  const [tokenUrl, setTokenUrl] = useState("");
  const [clientId, setClientId] = useState("");
  const [secret, setSecret] = useState("");
  const [scopes, setScopes] = useState("");
  const [params, setParams] = useState("");

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clientSecret = secret.trim() || undefined;
    setSecret("");
    add.mutate(
      {
        config: {
          name: name.trim(),
          authorize_url: authorizeUrl.trim(),
          token_url: tokenUrl.trim(),
          client_id: clientId.trim(),
          scopes: scopes.split(/[\s,]+/).filter(Boolean),
          params: parseParams(params),
          has_client_secret: clientSecret !== undefined,
          access_expires_at: null,
          logged_in_at: null,
          has_refresh_token: false,
        },
        clientSecret,
      },
      {
        onSuccess: () => {
          setName("");
          setAuthorizeUrl("");
          setTokenUrl("");
          setClientId("");
          setScopes("");
          setParams("");
        },
      },
    );
  };

  const field = (label: string, value: string, set: (v: string) => void, testId: string, extra: Record<string, unknown> = {}) => (
    <div className="field">
      <label htmlFor={`${id}-${testId}`}>{label}</label>
      <input id={`${id}-${testId}`} value={value} onChange={(e) => set(e.target.value)} data-testid={testId} {...extra} />
    </div>
  );

  return (
    <form className="panel" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <div className="panel-head">
        <h2 id={`${id}-h`}>Add a provider</h2>
      </div>
      {field("Name", name, setName, "provider-name", { required: true, placeholder: "e.g. github" })}
      {field("Authorize URL", authorizeUrl, setAuthorizeUrl, "provider-authorize-url", { required: true, className: "mono", placeholder: "https://…/authorize" })}
      {field("Token URL", tokenUrl, setTokenUrl, "provider-token-url", { required: true, className: "mono", placeholder: "https://…/token" })}
      {field("Client ID", clientId, setClientId, "provider-client-id", { required: true, className: "mono" })}
      {field("Client secret (optional)", secret, setSecret, "provider-client-secret", { type: "password", autoComplete: "off", className: "mono" })}
      {field("Scopes", scopes, setScopes, "provider-scopes", { placeholder: "space or comma separated" })}
      <div className="field">
        <label htmlFor={`${id}-params`}>Extra authorize parameters</label>
        <textarea id={`${id}-params`} className="mono" rows={2} value={params} onChange={(e) => setParams(e.target.value)} placeholder="access_type=offline" data-testid="provider-params" />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={add.isPending || !name.trim()} data-testid="provider-add">
          {add.isPending ? "Adding…" : "Add provider"}
        </button>
      </div>
      {add.isError && <ErrorBox error={add.error} title="The provider was not added" />}
    </form>
  );
}
