import type { ReactNode } from "react";
import type { Diagnostic } from "../../bindings/Diagnostic";

/** One diagnostic as the Problems list and the Release check show it: where, how bad, its code, what to do. */
export function ProblemButton({ d, onSelect, disabled, children }: { d: Diagnostic; onSelect: (d: Diagnostic) => void; disabled?: boolean; children?: ReactNode }) {
  return (
    <button type="button" className={`problem sev-${d.severity}`} onClick={() => onSelect(d)} disabled={disabled}>
      <span className="problem-loc mono">
        {d.line}:{d.column}
      </span>
      <span className={`badge sev-${d.severity}`}>{d.severity}</span>
      <code className="problem-code">{d.code}</code>
      <span className="problem-message">{d.message}</span>
      {d.suggestion !== null && (
        <span className="problem-suggestion">
          Suggestion: <code>{d.suggestion}</code>
        </span>
      )}
      {children}
    </button>
  );
}
