import { useState } from "react";
import type { Actor } from "../bindings/Actor";
import type { TimelineStep } from "../bindings/TimelineStep";
import { num } from "../lib/num";

const LABELS: Record<Actor, string> = {
  browser: "Browser",
  loopback: "Loopback listener",
  appdeck: "Appdeck",
  stripe: "Stripe",
  provider: "Provider",
  keychain: "Keychain",
  backend: "App backend",
};

export const INSTALL_LANES: Actor[] = ["browser", "loopback", "appdeck", "stripe", "keychain"];
export const PROVIDER_LANES: Actor[] = ["browser", "loopback", "appdeck", "provider", "keychain"];

/**
 * A flow's steps as a sequence diagram: one lane per actor, one row per step with an arrow
 * from `from` to `to`, its kind, summary and timing. Rows are buttons that show the
 * step's (masked) details. CSS grid, so it reflows and needs no measuring.
 */
export function SequenceDiagram({ steps, lanes = INSTALL_LANES, live = false }: { steps: TimelineStep[]; lanes?: Actor[]; live?: boolean }) {
  const [open, setOpen] = useState<number | null>(null);
  const all = [...lanes];
  for (const s of steps) for (const a of [s.from, s.to]) if (!all.includes(a)) all.push(a);
  const cols = `76px repeat(${all.length}, minmax(80px, 1fr))`;
  const lane = (a: Actor) => all.indexOf(a);

  return (
    <div className="seq" role="group" aria-label="Flow timeline" data-testid="timeline">
      <div className="seq-grid seq-head" style={{ gridTemplateColumns: cols }}>
        <div className="seq-time muted small">time</div>
        {all.map((a) => (
          <div key={a} className="seq-lane-name" data-lane={a}>
            {LABELS[a] ?? a}
          </div>
        ))}
      </div>
      <ol className="seq-body" aria-live={live ? "polite" : undefined}>
        {steps.map((s, i) => {
          const from = lane(s.from);
          const to = lane(s.to);
          const lo = Math.min(from, to);
          const hi = Math.max(from, to);
          const span = hi - lo + 1;
          const inset = `${50 / span}%`;
          const self = from === to;
          const dur = s.duration_ms === null ? null : num(s.duration_ms);
          const detail = Object.entries(s.detail ?? {});
          return (
            <li key={i} className={`seq-step seq-kind-${s.kind}`} data-testid="timeline-step" data-kind={s.kind} data-from={s.from} data-to={s.to}>
              <div className="seq-grid seq-lifelines" style={{ gridTemplateColumns: cols }} aria-hidden="true">
                <div />
                {all.map((a) => (
                  <div key={a} className="seq-lifeline" />
                ))}
              </div>
              <button
                type="button"
                className="seq-grid seq-row"
                style={{ gridTemplateColumns: cols }}
                aria-expanded={open === i}
                aria-label={`${LABELS[s.from] ?? s.from} to ${LABELS[s.to] ?? s.to}: ${s.kind}, ${s.summary}, at ${num(s.at_ms)} ms`}
                onClick={() => setOpen(open === i ? null : i)}
              >
                <span className="seq-time mono small">
                  +{num(s.at_ms)} ms
                  {dur !== null && <span className="seq-dur">{dur} ms</span>}
                </span>
                <span className="seq-arrow-cell" style={{ gridColumn: `${lo + 2} / ${hi + 3}` }}>
                  {self ? (
                    <span className="seq-self">
                      <span className="seq-kind">{s.kind}</span> {s.summary}
                    </span>
                  ) : (
                    <span className={`seq-arrow ${from < to ? "seq-right" : "seq-left"}`} style={{ left: inset, right: inset }}>
                      <span className="seq-label">
                        <span className="seq-kind">{s.kind}</span> {s.summary}
                      </span>
                    </span>
                  )}
                </span>
              </button>
              {open === i && (
                <div className="seq-detail">
                  {detail.length === 0 ? (
                    <span className="muted small">No parameters.</span>
                  ) : (
                    <dl className="facts small">
                      {detail.map(([k, v]) => (
                        <div key={k} className="contents">
                          <dt>{k}</dt>
                          <dd className="mono">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
                        </div>
                      ))}
                    </dl>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {steps.length === 0 && <p className="muted small seq-empty">No steps yet.</p>}
    </div>
  );
}
