import type { UseQueryResult } from "@tanstack/react-query";
import type { AppError } from "../../api/errors";
import type { CheckLine } from "../../bindings/CheckLine";
import type { InstallCheck } from "../../bindings/InstallCheck";
import { Loading } from "../../components/States";
import { KindBadge } from "../accounts/KindBadge";
import "./install.css";

/** One line of core's checklist: its status, what was found and, unless it passed, the fix. */
function Line({ line }: { line: CheckLine }) {
  return (
    <li className={`check-line check-${line.status}`} data-testid="check-line" data-check={line.check} data-status={line.status}>
      <span className="check-status">{line.status}</span>
      <strong>{line.title}</strong>
      <span className="check-detail small">{line.detail}</span>
      {line.fix && (
        <span className="check-fix small" data-testid="check-fix">
          <strong>Fix:</strong> {line.fix}
        </span>
      )}
    </li>
  );
}

/**
 * "Before you run": core's pre-flight checklist for the chosen account, redirect URI and way of
 * completing the install. Every verdict is core's; this only draws it.
 */
export function Checklist({ check }: { check: UseQueryResult<InstallCheck, AppError> }) {
  const state = check.isPending ? "pending" : check.isError ? "error" : "ready";
  return (
    <section className="checklist" aria-label="Before you run" data-testid="install-checklist" data-state={state} data-ok={check.data ? String(check.data.ok) : undefined}>
      <div className="checklist-head">
        <h3>Before you run</h3>
        {check.data && (
          <span className="small">
            {check.data.app} as <strong>{check.data.account}</strong> <KindBadge kind={check.data.kind} testId="checklist-kind" />
          </span>
        )}
        {check.isFetching && !check.isPending && <span className="muted small">Checking again…</span>}
        <button type="button" className="btn btn-small" onClick={() => void check.refetch()} disabled={check.isFetching} data-testid="checklist-refresh">
          Refresh
        </button>
      </div>
      {check.isPending ? (
        <Loading label="Checking the key, the account, the app and the redirect URI…" />
      ) : check.isError ? (
        <div className="error-box compact" role="alert" data-testid="checklist-error" data-code={check.error.code}>
          <div className="error-head">
            <strong>The checklist could not run</strong>
            <code className="error-code">{check.error.code}</code>
          </div>
          <p className="error-message">{check.error.message}</p>
          <p className="small muted">Run still goes through core, which refuses before opening anything what can't work.</p>
        </div>
      ) : (
        <>
          <ul className="check-lines">
            {check.data.lines.map((l, i) => (
              <Line key={`${i}-${l.check}`} line={l} />
            ))}
          </ul>
          {check.data.redirect_uri && (
            <p className="small muted" data-testid="checklist-redirect">
              The flow would use <code>{check.data.redirect_uri}</code>.
            </p>
          )}
        </>
      )}
    </section>
  );
}
