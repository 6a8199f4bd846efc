import { useKeychainChoice, useKeychainStatus } from "../api/queries";
import { ErrorBox } from "./ErrorBox";

/**
 * Stays while secrets live in session memory, and while the OS keychain is unavailable and
 * nothing was chosen: the user decides, explicitly, never a silent fallback.
 */
export function KeychainBanner() {
  const status = useKeychainStatus();
  const choice = useKeychainChoice();
  if (!status.data) return null;
  const { store, problem } = status.data;
  if (store === "session-memory") {
    return (
      <div className="banner banner-warning keychain-banner" role="status" data-testid="session-secrets-banner">
        <strong>Secrets are kept in memory for this session only.</strong>
        <span>Keys and tokens are lost when Appdeck quits; nothing is written to disk.</span>
        {problem && (
          <span className="muted small">
            OS keychain: <code>{problem.code}</code> {problem.message}
          </span>
        )}
        <div className="banner-actions">
          <button type="button" className="btn btn-small" disabled={choice.isPending} onClick={() => choice.mutate("retry")} data-testid="keychain-retry">
            Try the OS keychain again
          </button>
        </div>
      </div>
    );
  }
  if (store === null) {
    return (
      <div className="banner banner-danger keychain-banner" role="alert" data-testid="keychain-unavailable-banner">
        <div className="banner-text">
          <strong>The OS keychain can't be used</strong>
          {problem && (
            <span>
              {" "}
              — <code data-testid="keychain-problem-code">{problem.code}</code> {problem.message}
            </span>
          )}
          <p className="small">Appdeck never writes secrets to disk. Fix the keychain and retry, or keep secrets in memory until Appdeck quits.</p>
        </div>
        <div className="banner-actions">
          <button type="button" className="btn btn-small" disabled={choice.isPending} onClick={() => choice.mutate("retry")} data-testid="keychain-retry">
            Retry
          </button>
          <button type="button" className="btn btn-small btn-primary" disabled={choice.isPending} onClick={() => choice.mutate("session")} data-testid="use-session-secrets">
            Keep secrets for this session only
          </button>
        </div>
        {choice.isError && <ErrorBox error={choice.error} compact />}
      </div>
    );
  }
  return null;
}
