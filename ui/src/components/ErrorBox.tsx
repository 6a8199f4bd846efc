import type { ErrorCode } from "../bindings/ErrorCode";
import { toAppError } from "../api/errors";

/** What the user can do about each error code. Keyed on the code, never on message text. */
const ADVICE: Partial<Record<ErrorCode, string>> = {
  "manifest-unreadable": "Check that the file exists and is readable, or open another project.",
  "manifest-syntax": "Fix the JSON syntax in the raw editor first.",
  "manifest-changed-on-disk": "The file changed on disk: reload it, or keep your version and save again.",
  "manifest-write-failed": "The file could not be written: check permissions and free space, then retry.",
  "edit-refused": "The change would make the manifest invalid.",
  "edit-not-applicable": "The manifest no longer has what this change targets: reload and retry.",
  "project-not-found": "Pick a folder that contains stripe-app.json, or the manifest itself.",
  "config-io": "Appdeck could not read or write its settings.",
  "invalid-input": "Check the value and try again.",
  "keychain-unavailable": "No OS keychain is available: install or start one (e.g. a Secret Service provider).",
  "keychain-locked": "Unlock your keychain, then retry.",
  "keychain-timeout": "The keychain did not answer in time: unlock it or dismiss its prompt, then retry.",
  "keychain-denied": "Access to the keychain was denied: allow Appdeck, then retry.",
  "keychain-failed": "The keychain reported an error.",
  "account-not-found": "Pick an existing account on the Accounts screen, or add one.",
  "account-exists": "Choose another name, or remove the existing account first.",
  "key-rejected": "Stripe refused the key: paste a whole secret (sk_…) or restricted (rk_…) key, or tick \"skip the check\" for servers without GET /v1/account.",
  network: "Appdeck could not reach the server: check the API base URL and your connection.",
  "loopback-port-in-use": "Another program holds that port: close it, or pick a redirect URI without a fixed port.",
  "loopback-failed": "The loopback listener could not start on 127.0.0.1 or [::1].",
  "oauth-state-mismatch": "The callback's state is not this flow's: start a new flow (never reuse a callback URL).",
  "oauth-missing-state": "The callback had no state: start a new flow.",
  "oauth-access-denied": "The install was declined on the consent page.",
  "oauth-provider-error": "The authorization server reported an error (shown above).",
  "oauth-callback-invalid": "The callback URL was not understood: paste the whole address you landed on.",
  "oauth-timeout": "No callback arrived. If the browser showed an error page, check that the redirect URI is registered in the manifest (allowed_redirect_uris).",
  "oauth-cancelled": "The flow was cancelled; nothing was stored.",
  "oauth-exchange-failed": "The code could not be exchanged for tokens: check the developer account's key and mode.",
  "oauth-invalid-grant": "The code or refresh token was refused: run the install flow again.",
  "signature-mismatch": "The payload or the secret differs from what was signed.",
  "signature-expired": "The signature is older than the tolerance allows.",
  "install-not-found": "That install is gone: refresh the installs list.",
  "needs-reauthorization": "The install's refresh token no longer works: run the install flow again.",
  "app-not-configured": "The app is not registered for this account and mode: open its manifest, or use the local sandbox.",
  "provider-not-found": "That provider is gone: refresh the list.",
  "provider-exists": "Choose another name, or remove the existing provider first.",
  "live-write-locked": "Live-mode writes are locked: unlock them for this session first, deliberately.",
  "api-error": "Stripe answered with an error; its message says why.",
  internal: "Something unexpected went wrong. Retry, and report it if it persists.",
};
const FALLBACK_ADVICE = "Retry; if it persists, report the code and message.";

export function ErrorBox({
  error,
  title,
  onRetry,
  compact = false,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  compact?: boolean;
}) {
  const err = toAppError(error);
  return (
    <div className={compact ? "error-box compact" : "error-box"} role="alert" data-testid="error" data-code={err.code}>
      <div className="error-head">
        {title && <strong>{title}</strong>}
        <code className="error-code">{err.code}</code>
      </div>
      <p className="error-message">{err.message}</p>
      {!compact && <p className="error-advice">{ADVICE[err.code] ?? FALLBACK_ADVICE}</p>}
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
