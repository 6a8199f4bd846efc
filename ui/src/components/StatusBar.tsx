import { useCurrentAccount, useKeychainStatus, useSandboxStatus, useSetAutoConsent } from "../api/queries";
import { ModeBadge } from "./ModeBadge";

function KeychainState() {
  const keychain = useKeychainStatus();
  let label: string;
  let tone: string;
  if (keychain.isPending) [label, tone] = ["Keychain: checking…", "muted"];
  else if (keychain.isError) [label, tone] = ["Keychain: not available", "muted"];
  else if (keychain.data.store === "os-keychain") [label, tone] = ["Keychain: OS keychain", "ok"];
  else if (keychain.data.store === "session-memory") [label, tone] = ["Keychain: session memory only", "warn"];
  else [label, tone] = [`Keychain: unavailable${keychain.data.problem ? ` (${keychain.data.problem.code})` : ""}`, "bad"];
  return (
    <span className="status-item" title={keychain.data?.problem?.message ?? keychain.data?.service}>
      <span className={`status-dot tone-${tone}`} aria-hidden="true" />
      <span data-testid="keychain-status" data-store={keychain.data?.store ?? "none"}>
        {label}
      </span>
    </span>
  );
}

function SandboxState() {
  const sandbox = useSandboxStatus();
  const autoConsent = useSetAutoConsent();
  let label: string;
  let tone: string;
  if (sandbox.isPending) [label, tone] = ["Sandbox: checking…", "muted"];
  else if (sandbox.isError) [label, tone] = ["Sandbox: not available", "muted"];
  else if (sandbox.data.state === "running") [label, tone] = [`Sandbox: running${sandbox.data.base_url ? ` at ${sandbox.data.base_url}` : ""}`, "ok"];
  else if (sandbox.data.state === "starting") [label, tone] = ["Sandbox: starting…", "warn"];
  else [label, tone] = [`Sandbox: failed${sandbox.data.message ? ` — ${sandbox.data.message}` : ""}`, "bad"];
  return (
    <span className="status-item">
      <span className={`status-dot tone-${tone}`} aria-hidden="true" />
      <span data-testid="sandbox-status" data-state={sandbox.data?.state ?? "unknown"}>
        {label}
      </span>
      {sandbox.data?.state === "running" && (
        <label className="status-toggle" title="Answer the authorize URL at once with the first install account (for automation)">
          <input
            type="checkbox"
            data-testid="auto-consent-toggle"
            checked={sandbox.data.auto_consent}
            disabled={autoConsent.isPending}
            onChange={(e) => autoConsent.mutate(e.target.checked)}
          />
          auto-consent
        </label>
      )}
    </span>
  );
}

export function StatusBar({ note }: { note?: string }) {
  const current = useCurrentAccount();
  return (
    <footer className="statusbar" role="contentinfo">
      <SandboxState />
      <KeychainState />
      <span className="spacer" />
      {note && <span className="muted">{note}</span>}
      {current && (
        <span className="status-item" data-testid="current-account">
          <span className="muted">Account:</span> {current.name} <ModeBadge mode={current.mode} testId="status-mode-badge" />
        </span>
      )}
    </footer>
  );
}
