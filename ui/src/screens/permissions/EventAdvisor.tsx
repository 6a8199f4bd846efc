import { useId, useState } from "react";
import { useAdviseEvents, useEventTypes } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";
import { Loading } from "../../components/States";

export function EventAdvisor({
  path,
  text,
  busy,
  onGrant,
}: {
  path: string;
  text: string;
  busy: boolean;
  onGrant: (permission: string, purpose: string) => Promise<boolean>;
}) {
  const id = useId();
  const [draft, setDraft] = useState("");
  const [events, setEvents] = useState<string[]>([]);
  const types = useEventTypes();
  const advice = useAdviseEvents(path, text, events);

  const add = () => {
    const names = draft
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (names.length === 0) return;
    setEvents((prev) => [...prev, ...names.filter((n) => !prev.includes(n))]);
    setDraft("");
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="event-advisor">
      <header className="panel-head">
        <h2 id={`${id}-title`}>Event advisor</h2>
      </header>
      <p className="muted small">Which permission lets the app receive an event? An app receives it with any one of those listed.</p>
      <div className="inline-form">
        <label htmlFor={`${id}-in`} className="sr-only">
          Event type
        </label>
        <input
          id={`${id}-in`}
          className="mono"
          list={`${id}-types`}
          value={draft}
          placeholder="customer.created"
          data-testid="event-input"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
        />
        <datalist id={`${id}-types`}>
          {types.data?.map((t) => <option key={t} value={t} />)}
        </datalist>
        <button type="button" className="btn" onClick={add} disabled={!draft.trim()} data-testid="event-add">
          Check
        </button>
        {events.length > 0 && (
          <button type="button" className="btn" onClick={() => setEvents([])}>
            Clear
          </button>
        )}
      </div>
      {types.isError && <ErrorBox error={types.error} title="Event types unavailable" compact />}
      {events.length > 0 && advice.isPending && <Loading label="Checking events…" />}
      {advice.isError && <ErrorBox error={advice.error} title="Could not check events" compact />}
      {advice.data && events.length > 0 && (
        <ul className="advice-list">
          {advice.data.map((a) => (
            <li key={a.event} className="advice-row" data-testid={`advice-${a.event}`}>
              <div className="advice-head">
                <code>{a.event}</code>
                {!a.known ? (
                  <span className="badge sev-warning">unknown event</span>
                ) : a.granted_by ? (
                  <span className="badge badge-ok">received via {a.granted_by}</span>
                ) : (
                  <span className="badge sev-error">not received</span>
                )}
                <span className="spacer" />
                <button
                  type="button"
                  className="btn-icon"
                  aria-label={`Remove ${a.event}`}
                  onClick={() => setEvents((prev) => prev.filter((e) => e !== a.event))}
                >
                  ×
                </button>
              </div>
              {!a.known && a.did_you_mean && (
                <p className="small">
                  Did you mean <code>{a.did_you_mean}</code>?
                </p>
              )}
              {a.any_of.length > 0 && (
                <p className="small">
                  Any of: {a.any_of.map((p) => <code key={p} className="tag">{p}</code>)}
                </p>
              )}
              {!a.granted_by && a.suggestion && (
                <button
                  type="button"
                  className="btn btn-small btn-primary"
                  disabled={busy}
                  data-testid={`advice-grant-${a.event}`}
                  onClick={() => void onGrant(a.suggestion ?? "", `Receive ${a.event} events.`)}
                >
                  Grant {a.suggestion}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
