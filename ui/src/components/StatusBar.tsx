import { useSandboxStatus } from "../api/queries";

export function StatusBar({ note }: { note?: string }) {
  const sandbox = useSandboxStatus();
  let label: string;
  let tone: string;
  if (sandbox.isPending) {
    label = "Sandbox: checking…";
    tone = "muted";
  } else if (sandbox.isError) {
    label = "Sandbox: not available";
    tone = "muted";
  } else if (sandbox.data.state === "running") {
    label = `Sandbox: running${sandbox.data.base_url ? ` at ${sandbox.data.base_url}` : ""}`;
    tone = "ok";
  } else if (sandbox.data.state === "starting") {
    label = "Sandbox: starting…";
    tone = "warn";
  } else {
    label = `Sandbox: failed${sandbox.data.message ? ` — ${sandbox.data.message}` : ""}`;
    tone = "bad";
  }
  return (
    <footer className="statusbar" role="contentinfo">
      <span className={`status-dot tone-${tone}`} aria-hidden="true" />
      <span data-testid="sandbox-status">{label}</span>
      <span className="spacer" />
      {note && <span className="muted">{note}</span>}
    </footer>
  );
}
