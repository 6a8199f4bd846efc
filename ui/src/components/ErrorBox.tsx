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
