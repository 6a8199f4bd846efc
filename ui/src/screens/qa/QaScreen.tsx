import { useId, useState } from "react";
import type { QaFlowFile } from "../../bindings/QaFlowFile";
import type { QaReportKind } from "../../bindings/QaReportKind";
import { useBackend } from "../../api/context";
import { toAppError, type AppError } from "../../api/errors";
import { ErrorBox } from "../../components/ErrorBox";
import { EmptyState, Loading } from "../../components/States";
import { parseAccounts, parseLoops, tally } from "./progress";
import { RecordToggle } from "./RecordToggle";
import { RunResults } from "./RunResults";
import { useQaFlows, useQaRun, useRecordStatus, useSaveRecording } from "./useQa";
import "./qa.css";

function flowLabel(f: QaFlowFile): string {
  return f.error ? `${f.file_name} (does not parse)` : `${f.name ?? f.file_name} — ${f.file_name}`;
}

/**
 * Runs QA flows (install → call → uninstall loops) against the embedded sandbox
 * or a real account, shows each step as it finishes, the results per account
 * and loop, and opens the reports; saves what was recorded on the Install and
 * API screens as a new flow.
 */
export function QaScreen({ manifestPath }: { manifestPath: string }) {
  const id = useId();
  const backend = useBackend();
  const flows = useQaFlows(manifestPath);
  const { state, start, cancel } = useQaRun();
  const [picked, setPicked] = useState("");
  const [opened, setOpened] = useState<QaFlowFile[]>([]);
  const [openPath, setOpenPath] = useState("");
  const [openError, setOpenError] = useState<AppError | null>(null);
  const [accounts, setAccounts] = useState("");
  const [loops, setLoops] = useState("");
  const [actionError, setActionError] = useState<AppError | null>(null);

  if (manifestPath === "") {
    return (
      <EmptyState title="No project open">
        <p className="muted">Open a Stripe App: flows are read from the flows/ folder beside its stripe-app.json.</p>
      </EmptyState>
    );
  }

  const all = [...(flows.data ?? []), ...opened.filter((o) => !(flows.data ?? []).some((f) => f.path === o.path))];
  const selected = all.find((f) => f.path === picked) ?? all.find((f) => !f.error) ?? all[0] ?? null;
  const loopsValue = parseLoops(loops);
  const running = state.phase === "running" || state.phase === "cancelling";
  const canRun = selected !== null && !selected.error && typeof loopsValue !== "string" && !running;

  const openFile = () => {
    setOpenError(null);
    backend.qaFlowFile(openPath.trim()).then(
      (f) => {
        setOpened((o) => [...o.filter((x) => x.path !== f.path), f]);
        setPicked(f.path);
      },
      (e: unknown) => setOpenError(toAppError(e)),
    );
  };

  const run = () => {
    if (!selected || typeof loopsValue === "string") return;
    setActionError(null);
    void start({ flow: selected.path, manifest_path: manifestPath, accounts: parseAccounts(accounts), loops: loopsValue });
  };

  const openReport = (what: QaReportKind) => {
    if (!state.result) return;
    setActionError(null);
    backend.qaOpenReport(state.result.run, what).catch((e: unknown) => setActionError(toAppError(e)));
  };

  const counts = tally(state.view.done);
  const cur = state.view.current;

  return (
    <div className="screen">
      <section className="panel" aria-labelledby={`${id}-flow`}>
        <div className="panel-head">
          <h2 id={`${id}-flow`}>Flow</h2>
          <span className="muted small">
            flows/ beside the manifest, or any file by path{" "}
            <button type="button" className="btn btn-small" onClick={() => void flows.refetch()} data-testid="qa-flows-reload">
              Reload
            </button>
          </span>
        </div>
        {flows.isPending && <Loading label="Reading flows…" />}
        {flows.error && <ErrorBox error={flows.error} title="Could not list the flows" onRetry={() => void flows.refetch()} compact />}
        {flows.data && all.length === 0 && (
          <p className="muted" data-testid="qa-no-flows">
            No flows yet: add YAML files to flows/ beside the manifest (see flows/README.md), open one by path, or record one.
          </p>
        )}
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-pick`}>Flow file</label>
            <select id={`${id}-pick`} value={selected?.path ?? ""} onChange={(e) => setPicked(e.target.value)} data-testid="qa-flow-picker">
              {all.map((f) => (
                <option key={f.path} value={f.path}>
                  {flowLabel(f)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-open`}>Open file…</label>
            <div className="inline-form">
              <input id={`${id}-open`} className="mono" value={openPath} placeholder="/path/to/flow.yaml" onChange={(e) => setOpenPath(e.target.value)} data-testid="qa-open-path" />
              <button type="button" className="btn" disabled={!openPath.trim()} onClick={openFile} data-testid="qa-open-file">
                Open
              </button>
            </div>
          </div>
        </div>
        {openError && <ErrorBox error={openError} title="Could not open that flow" compact />}
        {selected?.error && (
          <p className="field-error" data-testid="qa-flow-error">
            {selected.error}
          </p>
        )}
        {selected && !selected.error && (
          <p className="muted small" data-testid="qa-flow-summary">
            {selected.description ? `${selected.description}. ` : ""}
            {selected.steps} step{selected.steps === 1 ? "" : "s"} × {selected.loops} loop{selected.loops === 1 ? "" : "s"} on {selected.accounts.join(", ")}
          </p>
        )}
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-accounts`}>Accounts (override)</label>
            <input id={`${id}-accounts`} value={accounts} placeholder={selected?.accounts.join(", ") ?? "install-1"} onChange={(e) => setAccounts(e.target.value)} data-testid="qa-accounts" />
          </div>
          <div className="field field-narrow">
            <label htmlFor={`${id}-loops`}>Loops (override)</label>
            <input id={`${id}-loops`} inputMode="numeric" value={loops} placeholder={String(selected?.loops ?? 1)} onChange={(e) => setLoops(e.target.value)} data-testid="qa-loops" />
          </div>
        </div>
        {typeof loopsValue === "string" && <p className="field-error">{loopsValue}</p>}
        <div className="form-actions">
          <button type="button" className="btn btn-primary" disabled={!canRun} onClick={run} data-testid="qa-run">
            {running ? "Running…" : "Run"}
          </button>
          {running && (
            <button type="button" className="btn btn-danger" disabled={state.run === null || state.phase === "cancelling"} onClick={() => void cancel()} data-testid="qa-cancel">
              {state.phase === "cancelling" ? "Cancelling…" : "Cancel"}
            </button>
          )}
        </div>
      </section>

      {state.phase !== "idle" && (
        <section className="panel" aria-labelledby={`${id}-progress`} data-testid="qa-progress" data-phase={state.phase}>
          <div className="panel-head">
            <h2 id={`${id}-progress`}>Progress</h2>
            <span className="muted small" data-testid="qa-tally">
              {counts.passed} passed · {counts.failed} failed · {counts.skipped} skipped{counts.cancelled ? ` · ${counts.cancelled} cancelled` : ""}
            </span>
          </div>
          {cur && running && (
            <p role="status" aria-live="polite" data-testid="qa-current">
              <strong>{cur.account}</strong> · loop {cur.loop}/{cur.loops} · step {cur.index}/{cur.steps}: {cur.label}
            </p>
          )}
          {state.view.consent && running && (
            <div className="banner banner-info" role="alert" data-testid="qa-consent">
              <p>
                <strong>{state.view.consent.account}</strong> is a real account: consent in the browser; the run continues when the callback arrives.
              </p>
              <div className="url-box">
                <code data-testid="qa-consent-url">{state.view.consent.url}</code>
                <button type="button" className="btn btn-small" onClick={() => void backend.openUrl(state.view.consent?.url ?? "").catch((e: unknown) => setActionError(toAppError(e)))} data-testid="qa-consent-open">
                  Open in browser
                </button>
              </div>
            </div>
          )}
          {state.view.notes.map((n) => (
            <p key={n} className="muted small">
              Note: {n}
            </p>
          ))}
          <ol className="qa-steps">
            {state.view.done.map((s) => (
              <li key={`${s.account}-${s.loop}-${s.index}`} data-testid="qa-step" data-outcome={s.outcome} className={`qa-step qa-${s.outcome}`}>
                <span className="mono">
                  [loop {s.loop}] {s.account} {s.index}. {s.label}
                </span>{" "}
                <strong>{s.outcome}</strong> <span className="muted">{s.durationMs} ms</span>
                {s.message && s.outcome === "failed" && <div className="field-error">{s.message}</div>}
              </li>
            ))}
          </ol>
          {state.error && <ErrorBox error={state.error} title="The run could not start" />}
        </section>
      )}

      {state.result && <RunResults result={state.result} onOpen={openReport} />}
      {actionError && <ErrorBox error={actionError} title="That did not work" compact />}

      <RecordPanel manifestPath={manifestPath} onSaved={(f) => setPicked(f.path)} />
    </div>
  );
}

/** "Save as flow…" for what the Install and API screens recorded. */
function RecordPanel({ manifestPath, onSaved }: { manifestPath: string; onSaved: (f: QaFlowFile) => void }) {
  const id = useId();
  const status = useRecordStatus();
  const save = useSaveRecording(manifestPath);
  const [name, setName] = useState("recorded flow");
  const steps = status.data?.steps ?? 0;
  return (
    <section className="panel" aria-labelledby={`${id}-rec`}>
      <div className="panel-head">
        <h2 id={`${id}-rec`}>Record a flow</h2>
        <span className="muted small" data-testid="qa-record-count">
          {steps} step{steps === 1 ? "" : "s"} recorded
        </span>
      </div>
      <p className="muted small">
        Switch recording on (here, or on the Install and API screens), install the app and call the API as the install there, then save the steps as a flow.
      </p>
      <RecordToggle />
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Flow name</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} data-testid="qa-record-name" />
          <span className="field-hint">
            Saved in <code>flows/</code> beside the manifest, as a file named after the flow
          </span>
        </div>
      </div>
      <div className="form-actions">
        <button
          type="button"
          className="btn"
          disabled={steps === 0 || !name.trim() || save.isPending}
          onClick={() => save.mutate(name.trim(), { onSuccess: onSaved })}
          data-testid="qa-record-save"
        >
          Save as flow…
        </button>
        {save.data && (
          <span className="muted small" role="status" data-testid="qa-record-saved">
            Saved <code data-testid="qa-record-path">{save.data.path}</code>: {save.data.steps} step{save.data.steps === 1 ? "" : "s"}, in the picker above.
          </span>
        )}
      </div>
      {save.error && <ErrorBox error={save.error} title="The flow was not saved" compact />}
    </section>
  );
}
