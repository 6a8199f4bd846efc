import { useId, useState } from "react";
import type { HistoryEntry } from "../../bindings/HistoryEntry";
import { useApiHistory } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";
import { Loading } from "../../components/States";
import { num } from "../../lib/num";
import { relativeTime } from "../../lib/time";

/** Past calls (never a secret), searchable; click to load into the composer, or re-run. */
export function HistoryPanel({ onLoad, onRerun, busy }: { onLoad: (e: HistoryEntry) => void; onRerun: (e: HistoryEntry) => void; busy: boolean }) {
  const id = useId();
  const [search, setSearch] = useState("");
  const history = useApiHistory(search.trim());
  return (
    <section className="panel history" aria-labelledby={`${id}-h`}>
      <div className="panel-head">
        <h2 id={`${id}-h`}>History</h2>
      </div>
      <input type="search" aria-label="Search history" placeholder="Search path, method, status…" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="history-search" className="history-search" />
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <ErrorBox error={history.error} compact onRetry={() => void history.refetch()} />
      ) : history.data.length === 0 ? (
        <p className="muted small">{search ? "No call matches." : "Calls you send appear here."}</p>
      ) : (
        <ul className="history-list">
          {history.data.map((h) => (
            <li key={h.id} className="history-item" data-testid="history-item" data-id={h.id}>
              <button type="button" className="history-load" onClick={() => onLoad(h)} title="Load into the composer" data-testid="history-load">
                <span className="history-path mono small">
                  <strong>{h.request.method}</strong> {h.request.path}
                </span>
                <span className="muted small">
                  <span className={h.status >= 400 ? "text-bad" : undefined}>{h.status}</span> · {num(h.elapsed_ms)} ms · {h.mode} · {relativeTime(h.at)}
                  {h.request.auth.kind === "install" ? ` · ${h.request.auth.install}` : h.request.auth.name ? ` · ${h.request.auth.name}` : ""}
                </span>
              </button>
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => onRerun(h)} data-testid="history-rerun" aria-label={`Re-run ${h.request.method} ${h.request.path}`}>
                Re-run
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
