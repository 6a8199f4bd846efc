import { useId } from "react";
import type { QaReportKind } from "../../bindings/QaReportKind";
import type { QaRunResult } from "../../bindings/QaRunResult";

/**
 * A finished run: per account × loop whether it passed, a failing step's
 * message with its request and response (masked by core), and buttons that
 * open the files the run wrote.
 */
export function RunResults({ result, onOpen }: { result: QaRunResult; onOpen: (what: QaReportKind) => void }) {
  const id = useId();
  const { report, totals } = result;
  const verdict = report.cancelled ? "CANCELLED" : result.passed ? "PASSED" : "FAILED";
  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-testid="qa-results" data-passed={result.passed ? "true" : "false"} data-verdict={verdict}>
      <div className="panel-head">
        <h2 id={`${id}-h`}>Results</h2>
        <span className={`badge ${result.passed ? "badge-ok" : "badge-bad"}`} data-testid="qa-verdict">
          {verdict}
        </span>
      </div>
      <p data-testid="qa-summary">
        {report.flow}: {totals.passed} of {totals.steps} steps passed
        {totals.failed ? `, ${totals.failed} failed` : ""}
        {totals.skipped ? `, ${totals.skipped} skipped` : ""}
        {totals.cancelled ? `, ${totals.cancelled} cancelled` : ""} in {(report.duration_ms / 1000).toFixed(1)} s
      </p>
      <table className="qa-table">
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Loop</th>
            <th scope="col">Result</th>
            <th scope="col">Time</th>
          </tr>
        </thead>
        <tbody>
          {report.iterations.map((it) => {
            const failed = it.steps.find((s) => s.outcome === "failed");
            const passed = it.steps.every((s) => s.outcome === "passed");
            return (
              <tr key={`${it.account}-${it.loop_index}`} data-testid="qa-iteration" data-account={it.account} data-loop={it.loop_index} data-passed={passed ? "true" : "false"}>
                <td>{it.account}</td>
                <td>{it.loop_index}</td>
                <td>
                  {passed ? "passed" : failed ? "failed" : "not finished"}
                  {failed && (
                    <details className="qa-failure" data-testid="qa-failure">
                      <summary>
                        step {failed.index}. {failed.label}: {failed.message}
                      </summary>
                      {failed.exchange && (
                        <>
                          <pre className="mono small">{[failed.exchange.request, ...failed.exchange.request_lines].join("\n")}</pre>
                          <pre className="mono small">
                            Response{failed.exchange.status !== null ? ` (${failed.exchange.status})` : ""}:{"\n"}
                            {failed.exchange.response}
                          </pre>
                        </>
                      )}
                    </details>
                  )}
                </td>
                <td>{it.duration_ms} ms</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => onOpen("markdown")} data-testid="qa-open-markdown">
          Open report
        </button>
        <button type="button" className="btn" onClick={() => onOpen("junit")} data-testid="qa-open-junit">
          Open JUnit XML
        </button>
        <button type="button" className="btn" onClick={() => onOpen("folder")} data-testid="qa-open-folder">
          Open report folder
        </button>
      </div>
      <p className="field-hint">
        <code data-testid="qa-report-path">{result.files.markdown}</code> · <code data-testid="qa-junit-path">{result.files.junit}</code>
      </p>
    </section>
  );
}
