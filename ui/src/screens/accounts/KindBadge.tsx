import type { AccountKind } from "../../bindings/AccountKind";
import type { Mode } from "../../bindings/Mode";
import "./accounts.css";

/** What each kind is called wherever the mode is shown (live is loud: real money). */
export const KIND_LABEL: Record<AccountKind, string> = { local: "local", test: "test", sandbox: "sandbox", live: "LIVE" };

const KIND_TITLE: Record<AccountKind, string> = {
  local: "The embedded local sandbox (offline)",
  test: "Test mode of a Stripe account",
  sandbox: "A Stripe sandbox: test keys, its own account and environment",
  live: "Live mode: real data and real money",
};

/**
 * An account's kind (local, test, sandbox, LIVE) where its mode is shown. Keeps `data-mode` (the
 * mode core records) beside `data-kind`, as a sandbox is test mode in an environment of its own.
 */
export function KindBadge({ kind, mode, testId = "mode-badge" }: { kind: AccountKind; mode?: Mode; testId?: string }) {
  return (
    <span className={`badge mode-badge mode-${kind}`} data-testid={testId} data-mode={mode} data-kind={kind} title={KIND_TITLE[kind]}>
      {KIND_LABEL[kind]}
    </span>
  );
}
