import type { Diagnostic } from "../../bindings/Diagnostic";
import { ProblemButton } from "./ProblemButton";

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function ProblemsList({
  diagnostics,
  stale,
  path,
  onSelect,
}: {
  diagnostics: Diagnostic[];
  /** The buffer changed since these were computed. */
  stale: boolean;
  path: string;
  onSelect: (d: Diagnostic) => void;
}) {
  const sorted = [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column || ORDER[a.severity] - ORDER[b.severity]);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  return (
    <section className="panel problems" aria-labelledby="problems-title">
      <header className="panel-head">
        <h2 id="problems-title">Problems</h2>
        <span className="muted small" aria-live="polite">
          {errors} error{errors === 1 ? "" : "s"}, {warnings} warning{warnings === 1 ? "" : "s"}
          {stale ? " · checking…" : ""}
        </span>
      </header>
      {sorted.length === 0 ? (
        <p className="muted problems-empty" data-testid="problems-empty">
          No problems found.
        </p>
      ) : (
        <ul className="problems-list" data-testid="problems-list">
          {sorted.map((d, i) => {
            const elsewhere = d.file !== null && d.file !== path;
            return (
              <li
                key={`${d.start}-${d.code}-${i}`}
                data-testid="problem"
                data-code={d.code}
                data-line={d.line}
                data-column={d.column}
                data-severity={d.severity}
              >
                <ProblemButton d={d} onSelect={onSelect} disabled={elsewhere}>
                  {elsewhere && <span className="muted small">in {d.file}</span>}
                </ProblemButton>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
