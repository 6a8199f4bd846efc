import type { AppError } from "../../api/errors";
import type { ErrorCode } from "../../bindings/ErrorCode";
import type { InstallCheck } from "../../bindings/InstallCheck";

/** What to do when core refuses a flow before anything listens or opens. Keyed on the code. */
const WHAT_TO_DO: Partial<Record<ErrorCode, string>> = {
  "restricted-key":
    "Stripe exchanges the code only with the account's secret key (sk_…). Add the account again with its secret key, or let the app's backend complete the install (it exchanges the code itself; Appdeck then only reads the account's events).",
  "redirect-uri-not-uploadable":
    "Stripe redirects only to a URI of the uploaded stripe-app.json, matched exactly. Pick a listed URI, or add this one to stripe-app.json (a loopback URI needs a fixed port, e.g. http://127.0.0.1:8765/callback; live mode needs https) and upload a new version.",
};

/** The codes core refuses a flow with before anything listens or opens. */
export function isRefusal(error: AppError | null): error is AppError {
  return error !== null && error.code in WHAT_TO_DO;
}

/** A refusal of install_start: nothing listened, nothing opened; what to do about it. */
export function RefusalNotice({ error }: { error: AppError }) {
  return (
    <div className="refusal" role="alert" data-testid="install-refusal" data-code={error.code}>
      <h3>
        Refused before anything opened: <code>{error.code}</code>
      </h3>
      <p>{error.message}</p>
      <p>
        <strong>What to do:</strong> {WHAT_TO_DO[error.code]}
      </p>
    </div>
  );
}

/** Run refused because core's checklist has a failing line: each one with its fix. */
export function BlockedNotice({ check }: { check: InstallCheck }) {
  const failing = check.lines.filter((l) => l.status === "fail");
  return (
    <div className="refusal" role="alert" data-testid="install-blocked" data-code="preflight-failed" data-checks={failing.map((l) => l.check).join(" ")}>
      <h3>
        Not run: the checklist has {failing.length} failing line{failing.length === 1 ? "" : "s"} <code>preflight-failed</code>
      </h3>
      <p className="small">Nothing was opened. Fix these, then refresh the checklist and run again:</p>
      <ul>
        {failing.map((l, i) => (
          <li key={`${i}-${l.check}`} data-testid="blocked-line" data-check={l.check}>
            <strong>{l.title}</strong>: {l.detail}
            {l.fix && (
              <div className="check-fix small">
                <strong>Fix:</strong> {l.fix}
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
