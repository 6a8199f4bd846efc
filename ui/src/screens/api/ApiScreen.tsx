import { useState } from "react";
import type { ApiRequest } from "../../bindings/ApiRequest";
import type { ApiResponse } from "../../bindings/ApiResponse";
import type { Mode } from "../../bindings/Mode";
import type { FetchProgress } from "../../bindings/FetchProgress";
import { useBackend } from "../../api/context";
import { toAppError, type AppError } from "../../api/errors";
import { useAccounts, useApiPrecheck, useApiSend, useInstalls, useLiveWrites } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";
import { ModeBadge } from "../../components/ModeBadge";
import { copyText } from "../../lib/clipboard";
import { useDebounced } from "../../lib/useDebounced";
import { RecordToggle } from "../qa/RecordToggle";
import { Composer } from "./Composer";
import { authOf, emptyDraft, fromRequest, toRequest } from "./draft";
import { GrantOffer, LiveBanner } from "./Guards";
import { HistoryPanel } from "./HistoryPanel";
import { BodyView, ResponseViewer } from "./ResponseViewer";

interface Result {
  request: ApiRequest;
  response: ApiResponse;
  receivedAt: number;
  next: ApiRequest | null;
  missing: string | null;
}

interface FetchAllState {
  job: string | null;
  progress: FetchProgress | null;
  body: string | null;
  complete: boolean;
  error: AppError | null;
  running: boolean;
}

const noFetch: FetchAllState = { job: null, progress: null, body: null, complete: false, error: null, running: false };

/** Call the API as an account or as the installed app, with the app's permissions and live mode in view. */
function errorTitle(error: AppError): string {
  if (error.code === "live-write-locked") return "Live-mode writes are locked";
  if (error.code === "api-cancelled") return "Cancelled before the answer came";
  if (error.code === "network") return "No answer";
  return "The call was not made";
}

export function ApiScreen({ manifestPath }: { manifestPath: string }) {
  const backend = useBackend();
  const accounts = useAccounts();
  const installs = useInstalls();
  const live = useLiveWrites();
  const send = useApiSend();
  const [draft, setDraft] = useState(emptyDraft);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [curl, setCurl] = useState<{ text: string; copied: boolean } | null>(null);
  const [fetchAll, setFetchAll] = useState<FetchAllState>(noFetch);
  const [max, setMax] = useState("1000");

  const auth = authOf(draft.as);
  let mode: Mode | null = null;
  if (auth.kind === "account") {
    const name = auth.name ?? accounts.data?.current;
    mode = accounts.data?.accounts.find((a) => a.name === name)?.mode ?? null;
  } else {
    const inst = installs.data?.find((i) => i.install === auth.install);
    mode = inst ? (inst.livemode ? "live" : inst.mode) : null;
  }
  const isLive = mode === "live";
  const isWrite = draft.method !== "GET";
  const blocked = isLive && isWrite && !live.unlocked ? "Live-mode writes are locked: unlock them for this session above, or switch to a test account." : null;

  const checkPath = useDebounced(draft.path.trim().split("?")[0] ?? "", 250);
  const precheck = useApiPrecheck(draft.method, checkPath, manifestPath, auth.kind === "install");

  const run = async (request: ApiRequest) => {
    setError(null);
    setCurl(null);
    try {
      const response = await send.mutateAsync(request);
      const receivedAt = performance.now();
      setResult({ request, response, receivedAt, next: null, missing: null });
      const [next, missing] = await Promise.all([
        backend.apiNextPage(request, response).catch(() => null),
        response.status === 403 && request.auth.kind === "install" ? backend.apiMissingPermission(response).catch(() => null) : Promise.resolve(null),
      ]);
      setResult((r) => (r && r.response === response ? { ...r, next, missing } : r));
    } catch (e) {
      setError(toAppError(e));
    }
  };

  const sendDraft = () => {
    if (blocked || draft.path.trim() === "") return;
    void run(toRequest(draft));
  };

  const nextPage = () => {
    if (!result?.next) return;
    setDraft(fromRequest(result.next));
    void run(result.next);
  };

  const startFetchAll = async () => {
    const limit = Math.max(1, Number(max) || 1000);
    setFetchAll({ ...noFetch, running: true });
    try {
      const { job } = await backend.apiFetchAll(toRequest(draft), limit, (progress) => setFetchAll((s) => ({ ...s, progress })));
      setFetchAll((s) => ({ ...s, job }));
      const out = await backend.apiFetchWait(job);
      setFetchAll((s) => ({
        ...s,
        running: false,
        complete: out.complete,
        body: JSON.stringify({ object: "list", complete: out.complete, count: out.data.length, data: out.data }, null, 2),
      }));
    } catch (e) {
      setFetchAll((s) => ({ ...s, running: false, error: toAppError(e) }));
    }
  };

  const copyCurl = async () => {
    try {
      const text = await backend.apiCurl(toRequest(draft));
      const copied = await copyText(text);
      setCurl({ text, copied });
    } catch (e) {
      setError(toAppError(e));
    }
  };

  const missingPermission = result?.missing ?? null;
  const precheckMissing = auth.kind === "install" && precheck.data ? precheck.data : null;
  const canList = draft.method === "GET";

  return (
    <div className="api-grid">
      <div className="api-main">
        {isLive && <LiveBanner write={isWrite} />}
        <RecordToggle />
        <Composer draft={draft} onChange={setDraft} onSend={sendDraft} sending={send.isPending} blocked={blocked} />
        <div className="form-actions api-actions">
          {mode && (
            <span className="small">
              Calling in <ModeBadge mode={mode} testId="api-mode-badge" /> mode
            </span>
          )}
          <span className="spacer" />
          <button type="button" className="btn btn-small" onClick={() => void copyCurl()} data-testid="api-copy-curl">
            Copy as curl
          </button>
          <button type="button" className="btn btn-small" disabled={!result?.next || send.isPending} onClick={nextPage} data-testid="api-next-page">
            Next page
          </button>
          <label className="small inline-label">
            Max{" "}
            <input type="number" min={1} className="max-input" value={max} onChange={(e) => setMax(e.target.value)} aria-label="Fetch all: at most this many objects" data-testid="api-fetch-max" />
          </label>
          {fetchAll.running ? (
            <button type="button" className="btn btn-small btn-danger" disabled={!fetchAll.job} onClick={() => fetchAll.job && void backend.apiFetchCancel(fetchAll.job)} data-testid="api-fetch-cancel">
              Cancel
            </button>
          ) : (
            <button type="button" className="btn btn-small" disabled={!canList || blocked !== null} onClick={() => void startFetchAll()} data-testid="api-fetch-all">
              Fetch all
            </button>
          )}
        </div>
        {curl && (
          <div>
            <span className="muted small">{curl.copied ? "Copied to the clipboard (the key is a placeholder):" : "The clipboard refused; copy it from here:"}</span>
            <pre className="curl-text" data-testid="api-curl-text" tabIndex={0}>
              {curl.text}
            </pre>
          </div>
        )}
        {precheckMissing && <GrantOffer key={`pre-${precheckMissing}`} permission={precheckMissing} manifestPath={manifestPath} after403={false} />}
        {error && (
          <ErrorBox error={error} title={errorTitle(error)} />
        )}
        {missingPermission && <GrantOffer key={`403-${missingPermission}`} permission={missingPermission} manifestPath={manifestPath} after403 />}
        {(fetchAll.running || fetchAll.body || fetchAll.error) && (
          <section className="panel" data-testid="fetch-all">
            <div className="panel-head">
              <h2>Fetch all</h2>
              <span className="progress small" data-testid="api-fetch-progress" role="status">
                {fetchAll.running && <span className="spinner" aria-hidden="true" />}
                {fetchAll.progress ? `${fetchAll.progress.count} objects, ${fetchAll.progress.pages} pages` : "Starting…"}
                {!fetchAll.running && fetchAll.body && (fetchAll.complete ? " — complete" : " — stopped early (limit, cancel or a failed page)")}
              </span>
            </div>
            {fetchAll.error && <ErrorBox error={fetchAll.error} compact />}
            {fetchAll.body && <BodyView body={fetchAll.body} />}
          </section>
        )}
        {send.isPending && (
          <div className="row-gap" role="status">
            <span className="muted">
              <span className="spinner" aria-hidden="true" /> Sending… (retries wait out 429s and failures where it is safe)
            </span>
            <button type="button" className="btn btn-small btn-danger" onClick={send.cancel} data-testid="api-send-cancel">
              Cancel
            </button>
          </div>
        )}
        {result && <ResponseViewer key={result.receivedAt} response={result.response} receivedAt={result.receivedAt} />}
      </div>
      <HistoryPanel
        busy={send.isPending}
        onLoad={(h) => setDraft(fromRequest(h.request))}
        onRerun={(h) => {
          setDraft(fromRequest(h.request));
          void run(h.request);
        }}
      />
    </div>
  );
}
