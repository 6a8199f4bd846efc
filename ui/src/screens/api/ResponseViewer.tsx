import { useCallback, useEffect, useRef, useState } from "react";
import type { ApiResponse } from "../../bindings/ApiResponse";
import { useBackend } from "../../api/context";
import { CopyButton } from "../../components/CopyButton";
import { ModeBadge } from "../../components/ModeBadge";
import { Loading } from "../../components/States";
import { num } from "../../lib/num";
import { StallMonitor } from "../../lib/viewerStats";
import { Attempts } from "./Attempts";
import { JsonTree } from "./JsonTree";
import { RawView } from "./RawView";
import { useJsonIndex } from "./useJsonIndex";

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A body as a tree (parsed off the main thread) or raw text, both virtualized. */
export function BodyView({ body, receivedAt }: { body: string; receivedAt?: number }) {
  const [tab, setTab] = useState<"tree" | "raw">("tree");
  const parsed = useJsonIndex(body);
  const monitor = useRef<StallMonitor | null>(null);
  useEffect(() => {
    const m = new StallMonitor(receivedAt ?? performance.now());
    monitor.current = m;
    return () => m.stop();
  }, [body, receivedAt]);
  const onPainted = useCallback(() => monitor.current?.painted(), []);
  const showTree = tab === "tree" && parsed.status !== "invalid";
  return (
    <div className="body-view">
      <div className="tabs" role="tablist">
        <button type="button" role="tab" className="tab" aria-selected={showTree} onClick={() => setTab("tree")} disabled={parsed.status === "invalid"} data-testid="body-tab-tree">
          Tree
        </button>
        <button type="button" role="tab" className="tab" aria-selected={!showTree} onClick={() => setTab("raw")} data-testid="body-tab-raw">
          Raw
        </button>
        <span className="spacer" />
        <span className="muted small">{formatBytes(body.length)}</span>
        <CopyButton text={body} label="Copy body" />
      </div>
      {showTree ? (
        parsed.status === "parsing" ? (
          <Loading label="Parsing the body…" />
        ) : parsed.status === "ready" ? (
          <JsonTree key={body.length + ":" + body.slice(0, 64)} index={parsed.index} onPainted={onPainted} />
        ) : null
      ) : (
        <RawView text={body} />
      )}
      {parsed.status === "invalid" && <p className="muted small">Not JSON ({parsed.reason}): showing the raw text.</p>}
    </div>
  );
}

/** Status, Request-Id, timing, headers, Stripe error parts and the body. */
export function ResponseViewer({ response, receivedAt }: { response: ApiResponse; receivedAt?: number }) {
  const backend = useBackend();
  const ok = response.status >= 200 && response.status < 300;
  const err = response.stripe_error;
  return (
    <section className="panel response" aria-label="Response" data-testid="api-response">
      <div className="response-head">
        <span className={`badge status-code ${ok ? "badge-ok" : "status-reauth"}`} data-testid="api-status">
          {response.status}
        </span>
        <code className="small response-url">
          {response.method} {response.url}
        </code>
        <ModeBadge mode={response.mode} testId="response-mode" />
        <span className="spacer" />
        <span className="muted small" data-testid="api-elapsed">
          {num(response.elapsed_ms)} ms
        </span>
        {response.request_id && (
          <span className="small">
            Request-Id <code data-testid="api-request-id">{response.request_id}</code> <CopyButton text={response.request_id} />
          </span>
        )}
      </div>
      <Attempts attempts={response.attempts ?? []} />
      {response.refreshed && <p className="muted small">The install's access token had expired and was refreshed for this call.</p>}
      {response.idempotency_key && (
        <p className="muted small">
          Idempotency-Key <code>{response.idempotency_key}</code>
        </p>
      )}
      {err && (
        <div className="error-box stripe-error" data-testid="stripe-error">
          <dl className="facts">
            {err.type && (
              <>
                <dt>type</dt>
                <dd className="mono">{err.type}</dd>
              </>
            )}
            {err.code && (
              <>
                <dt>code</dt>
                <dd className="mono">{err.code}</dd>
              </>
            )}
            {err.param && (
              <>
                <dt>param</dt>
                <dd className="mono">{err.param}</dd>
              </>
            )}
            {err.message && (
              <>
                <dt>message</dt>
                <dd>{err.message}</dd>
              </>
            )}
            {err.doc_url && (
              <>
                <dt>doc_url</dt>
                <dd>
                  <a
                    href={err.doc_url}
                    onClick={(e) => {
                      e.preventDefault();
                      void backend.openUrl(err.doc_url ?? "").catch(() => undefined);
                    }}
                  >
                    {err.doc_url}
                  </a>
                </dd>
              </>
            )}
          </dl>
        </div>
      )}
      <details className="headers">
        <summary>Headers ({response.headers.length})</summary>
        <table className="table small">
          <tbody>
            {response.headers.map(([k, v], i) => (
              <tr key={i}>
                <td className="mono">{k}</td>
                <td className="mono">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <BodyView body={response.body} receivedAt={receivedAt} />
    </section>
  );
}
