import type { Attempt } from "../../bindings/Attempt";
import { num } from "../../lib/num";

function label(a: Attempt): string {
  return a.status === null ? "no answer" : String(a.status);
}

/** "Retried 2× after 429, 500": the console's retries, each attempt with its wait. Nothing for one attempt. */
export function Attempts({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length < 2) return null;
  const earlier = attempts.slice(0, -1);
  const waited = attempts.reduce((sum, a) => sum + a.waited_ms, 0);
  return (
    <details className="attempts small" data-testid="api-attempts">
      <summary data-testid="api-attempts-summary">
        Retried {earlier.length}× after {earlier.map(label).join(", ")} (waited {(waited / 1000).toFixed(1)} s in all)
      </summary>
      <ol>
        {attempts.map((a, i) => (
          <li key={i} data-testid="api-attempt">
            <span className="mono">{label(a)}</span>
            {a.waited_ms > 0 && <span className="muted"> after waiting {num(a.waited_ms)} ms</span>}
            <span className="muted">, took {num(a.elapsed_ms)} ms</span>
            {a.error && <span className="muted"> — {a.error}</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}
