import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useBackend } from "../../api/context";
import { toAppError, type AppError } from "../../api/errors";
import { CopyButton } from "../../components/CopyButton";
import { ErrorBox } from "../../components/ErrorBox";

const DEFAULT_TOLERANCE = 300;

/** A signing secret field: password-like, never stored by these tools. */
function SecretInput({ value, onChange, testId }: { value: string; onChange: (v: string) => void; testId: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Signing secret</label>
      <input id={id} type="password" className="mono" autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)} placeholder="whsec_… or absec_…" data-testid={testId} />
    </div>
  );
}

function Text({ label, value, onChange, testId, placeholder, area = false }: { label: string; value: string; onChange: (v: string) => void; testId: string; placeholder?: string; area?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {area ? (
        <textarea id={id} className="mono" rows={4} value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} data-testid={testId} />
      ) : (
        <input id={id} className="mono" value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} data-testid={testId} />
      )}
    </div>
  );
}

type Verdict = { ok: true; timestamp: number; age: number } | { ok: false; error: AppError } | null;

const valid = (timestamp: number): Verdict => ({ ok: true, timestamp, age: Math.floor(Date.now() / 1000) - timestamp });

function VerdictView({ verdict, tolerance, testId }: { verdict: Verdict; tolerance: number; testId: string }) {
  if (!verdict) return null;
  if (verdict.ok) {
    const { age } = verdict;
    return (
      <div className="notice" role="status" data-testid={testId} data-valid="true">
        Valid. Signed at {new Date(verdict.timestamp * 1000).toLocaleString()} ({age} s ago; tolerance {tolerance} s).
      </div>
    );
  }
  return (
    <div data-testid={testId} data-valid="false" data-code={verdict.error.code}>
      <ErrorBox error={verdict.error} title="Not valid" compact />
    </div>
  );
}

function Panel({ title, children, onSubmit }: { title: string; children: ReactNode; onSubmit: () => void }) {
  return (
    <form
      className="panel"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <div className="panel-head">
        <h2>{title}</h2>
      </div>
      {children}
    </form>
  );
}

function toleranceOf(text: string): number {
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : DEFAULT_TOLERANCE;
}

function StripeSignature() {
  const backend = useBackend();
  const [secret, setSecret] = useState("");
  const [payload, setPayload] = useState("");
  const [header, setHeader] = useState("");
  const [tolerance, setTolerance] = useState(String(DEFAULT_TOLERANCE));
  const [error, setError] = useState<AppError | null>(null);
  const [verdict, setVerdict] = useState<Verdict>(null);
  const compute = () => {
    setError(null);
    setVerdict(null);
    backend.signStripeSignature({ secret, payload }).then(setHeader, (e: unknown) => setError(toAppError(e)));
  };
  const verify = () => {
    const tol = toleranceOf(tolerance);
    backend.verifyStripeSignature({ secret, header, payload, tolerance_secs: tol }).then(
      (timestamp) => setVerdict(valid(timestamp)),
      (e: unknown) => setVerdict({ ok: false, error: toAppError(e) }),
    );
  };
  return (
    <Panel title="Stripe-Signature" onSubmit={verify}>
      <p className="muted small">
        <code>t=&lt;unix&gt;,v1=&lt;hex&gt;</code>: HMAC-SHA256 of <code>"&lt;t&gt;.&lt;payload&gt;"</code>, as webhooks are signed.
      </p>
      <SecretInput value={secret} onChange={setSecret} testId="sig-secret" />
      <Text label="Payload" value={payload} onChange={setPayload} testId="sig-payload" area placeholder='{"id":"evt_…"}' />
      <div className="form-actions">
        <button type="button" className="btn" onClick={compute} disabled={!secret} data-testid="sig-compute">
          Compute header
        </button>
      </div>
      <div className="field">
        <label htmlFor="sig-header">Stripe-Signature header</label>
        <div className="inline-form">
          <input id="sig-header" className="mono" value={header} onChange={(e) => setHeader(e.target.value)} data-testid="sig-header" />
          <CopyButton text={header} />
        </div>
      </div>
      <div className="form-actions">
        <label className="inline-label small">
          Tolerance (s) <input type="number" min={0} className="max-input" value={tolerance} onChange={(e) => setTolerance(e.target.value)} data-testid="sig-tolerance" />
        </label>
        <button type="submit" className="btn btn-primary" disabled={!secret || !header} data-testid="sig-verify">
          Verify
        </button>
      </div>
      {error && <ErrorBox error={error} compact />}
      <VerdictView verdict={verdict} tolerance={toleranceOf(tolerance)} testId="sig-verdict" />
    </Panel>
  );
}

function InstallSignature() {
  const backend = useBackend();
  const [secret, setSecret] = useState("");
  const [signature, setSignature] = useState("");
  const [state, setState] = useState("");
  const [userId, setUserId] = useState("");
  const [accountId, setAccountId] = useState("");
  const [tolerance, setTolerance] = useState(String(DEFAULT_TOLERANCE));
  const [verdict, setVerdict] = useState<Verdict>(null);
  const fromUrl = (url: string) => {
    try {
      const q = new URL(url).searchParams;
      setSignature(q.get("install_signature") ?? "");
      setState(q.get("state") ?? "");
      setUserId(q.get("user_id") ?? "");
      setAccountId(q.get("account_id") ?? "");
    } catch {
      // Not a URL: leave the fields as they are.
    }
  };
  const verify = () =>
    backend.verifyInstallSignature({ secret, install_signature: signature, state, user_id: userId, account_id: accountId, tolerance_secs: toleranceOf(tolerance) }).then(
      (timestamp) => setVerdict(valid(timestamp)),
      (e: unknown) => setVerdict({ ok: false, error: toAppError(e) }),
    );
  return (
    <Panel title="Install link signature" onSubmit={() => void verify()}>
      <p className="muted small">
        A platform install link redirects with <code>install_signature</code> over <code>{'{"state","user_id","account_id"}'}</code>, signed with the app's signing secret.
      </p>
      <div className="field">
        <label htmlFor="inst-url">Paste the redirect URL to fill the fields (optional)</label>
        <input id="inst-url" className="mono" onChange={(e) => fromUrl(e.target.value)} placeholder="https://…?state=…&user_id=…&account_id=…&install_signature=…" data-testid="inst-url" />
      </div>
      <SecretInput value={secret} onChange={setSecret} testId="inst-secret" />
      <Text label="install_signature" value={signature} onChange={setSignature} testId="inst-signature" />
      <div className="field-row">
        <Text label="state" value={state} onChange={setState} testId="inst-state" />
        <Text label="user_id" value={userId} onChange={setUserId} testId="inst-user" />
        <Text label="account_id" value={accountId} onChange={setAccountId} testId="inst-account" />
      </div>
      <div className="form-actions">
        <label className="inline-label small">
          Tolerance (s) <input type="number" min={0} className="max-input" value={tolerance} onChange={(e) => setTolerance(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={!secret || !signature} data-testid="inst-verify">
          Verify
        </button>
      </div>
      <VerdictView verdict={verdict} tolerance={toleranceOf(tolerance)} testId="inst-verdict" />
    </Panel>
  );
}

/** Mirrors core's ui_extension_payload, to show what is signed. */
function signedPayload(userId: string, accountId: string, extra: string): string {
  let fields: Record<string, unknown> = {};
  try {
    const parsed: unknown = extra.trim() ? JSON.parse(extra) : {};
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) fields = parsed as Record<string, unknown>;
  } catch {
    return "(the payload is not a JSON object)";
  }
  const rest = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== "user_id" && k !== "account_id"));
  return JSON.stringify({ user_id: userId, account_id: accountId, ...rest });
}

function UiExtensionSignature() {
  const backend = useBackend();
  const [secret, setSecret] = useState("");
  const [userId, setUserId] = useState("");
  const [accountId, setAccountId] = useState("");
  const [payload, setPayload] = useState("");
  const [header, setHeader] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const sign = () => {
    setError(null);
    backend.signUiExtension({ secret, user_id: userId, account_id: accountId, payload: payload.trim() || undefined }).then(setHeader, (e: unknown) => setError(toAppError(e)));
  };
  return (
    <Panel title="fetchStripeSignature()" onSubmit={sign}>
      <p className="muted small">The Stripe-Signature a UI extension sends to its backend, to test that backend's verification.</p>
      <SecretInput value={secret} onChange={setSecret} testId="ui-secret" />
      <div className="field-row">
        <Text label="user_id" value={userId} onChange={setUserId} testId="ui-user" placeholder="usr_…" />
        <Text label="account_id" value={accountId} onChange={setAccountId} testId="ui-account" placeholder="acct_…" />
      </div>
      <Text label="Extra payload (JSON object, optional)" value={payload} onChange={setPayload} testId="ui-payload" area placeholder='{"plan":"pro"}' />
      <p className="small">
        Signed: <code data-testid="ui-signed-payload">{signedPayload(userId, accountId, payload)}</code>
      </p>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={!secret || !userId || !accountId} data-testid="ui-sign">
          Sign
        </button>
      </div>
      {error && <ErrorBox error={error} compact />}
      {header && (
        <div className="url-box">
          <code data-testid="ui-header">{header}</code>
          <CopyButton text={header} />
        </div>
      )}
    </Panel>
  );
}

/** Signature tools; secrets are passed per call and never stored. */
export function SignaturesScreen() {
  return (
    <div className="two-col">
      <div className="screen">
        <StripeSignature />
        <InstallSignature />
      </div>
      <UiExtensionSignature />
    </div>
  );
}
