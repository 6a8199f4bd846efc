import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useBackend } from "../../api/context";
import { toAppError, type AppError } from "../../api/errors";
import { useInstallFlow } from "../../api/flows";
import { CopyButton } from "../../components/CopyButton";
import { ErrorBox } from "../../components/ErrorBox";
import { SequenceDiagram } from "../../components/SequenceDiagram";
import { copyText, downloadText } from "../../lib/clipboard";
import { toJson } from "../../lib/num";
import { AccountPicker, EPHEMERAL, RedirectPicker, useRedirectUris } from "./pickers";

const STATUS_TEXT = { idle: "Not started", starting: "Starting…", running: "Waiting for the browser…", succeeded: "Installed", failed: "Failed" };

/** Runs the install flow in the system browser and draws each step as it arrives. */
export function InstallRun({ manifestPath }: { manifestPath: string }) {
  const id = useId();
  const client = useQueryClient();
  const backend = useBackend();
  const flow = useInstallFlow(client);
  const uris = useRedirectUris(manifestPath);
  const [account, setAccount] = useState("");
  const [redirect, setRedirect] = useState(EPHEMERAL);
  const [timeout, setTimeoutSecs] = useState("300");
  const [platform, setPlatform] = useState(false);
  const [pasted, setPasted] = useState("");
  const [pasteError, setPasteError] = useState<AppError | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const { phase, steps, start, outcome, error } = flow.state;
  const busy = phase === "starting" || phase === "running";

  const run = () => {
    setPasteError(null);
    setExported(null);
    const secs = Number(timeout);
    void flow.run({
      account: account || undefined,
      redirectUri: redirect === EPHEMERAL ? undefined : redirect,
      platform,
      timeoutSecs: Number.isFinite(secs) && secs > 0 ? Math.round(secs) : undefined,
    });
  };

  const paste = (e: FormEvent) => {
    e.preventDefault();
    setPasteError(null);
    flow.paste(pasted.trim()).then(
      () => setPasted(""),
      (err: unknown) => setPasteError(toAppError(err)),
    );
  };

  const timelineJson = () => toJson({ flow: start?.flow ?? null, authorize_url: start?.authorizeUrl ?? null, outcome: phase, error: error?.toPayload() ?? null, timeline: steps });

  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <div className="panel-head">
        <h2 id={`${id}-h`}>Run the install flow</h2>
        <span className={`badge flow-${phase}`} data-testid="install-status" data-phase={phase} data-code={error?.code}>
          {STATUS_TEXT[phase]}
          {error ? `: ${error.code}` : ""}
        </span>
      </div>
      <div className="field-row">
        <AccountPicker value={account} onChange={setAccount} testId="install-account" />
        <RedirectPicker uris={uris} value={redirect} onChange={setRedirect} testId="install-redirect" />
        <div className="field field-narrow">
          <label htmlFor={`${id}-timeout`}>Timeout (s)</label>
          <input id={`${id}-timeout`} type="number" min={1} value={timeout} onChange={(e) => setTimeoutSecs(e.target.value)} data-testid="install-timeout" />
        </div>
      </div>
      <label className="field-checkbox">
        <input type="checkbox" checked={platform} onChange={(e) => setPlatform(e.target.checked)} data-testid="install-platform" />
        Platform install link (verifies install_signature instead of exchanging a code)
      </label>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={run} data-testid="install-run">
          {busy ? "Running…" : "Run install flow"}
        </button>
        {busy && (
          <button type="button" className="btn btn-danger" disabled={!start} onClick={() => void flow.cancel()} data-testid="install-cancel">
            Cancel
          </button>
        )}
        {steps.length > 0 && !busy && (
          <>
            <button type="button" className="btn" data-testid="timeline-export" onClick={() => downloadText(`install-timeline-${start?.flow ?? "flow"}.json`, timelineJson())}>
              Export timeline as JSON
            </button>
            <button type="button" className="btn" data-testid="timeline-copy" onClick={() => void copyText(timelineJson()).then((ok) => setExported(ok ? "Copied the timeline." : "The clipboard refused."))}>
              Copy timeline
            </button>
            {exported && <span className="muted small">{exported}</span>}
          </>
        )}
      </div>

      {start && busy && (
        <div className="field">
          <span className="label">The browser was opened on</span>
          <div className="url-box">
            <code data-testid="install-authorize-url">{start.authorizeUrl}</code>
            <CopyButton text={start.authorizeUrl} />
            <button type="button" className="btn btn-small" onClick={() => void backend.openUrl(start.authorizeUrl).catch(() => undefined)}>
              Open again
            </button>
          </div>
          <div className="field-hint">
            Redirect URI: <code>{start.redirectUri}</code>
          </div>
        </div>
      )}

      {start && !start.loopback && busy && (
        <form className="paste-form" onSubmit={paste}>
          <label htmlFor={`${id}-paste`}>
            <strong>Paste the URL you landed on</strong> <span className="muted small">(the redirect URI isn't loopback, so Appdeck can't hear the callback)</span>
          </label>
          <div className="inline-form">
            <input
              id={`${id}-paste`}
              className="mono"
              value={pasted}
              onChange={(e) => setPasted(e.target.value)}
              placeholder={`${start.redirectUri}?code=…&state=…`}
              data-testid="install-paste-url"
            />
            <button type="submit" className="btn btn-primary" disabled={!pasted.trim()} data-testid="install-paste-submit">
              Finish install
            </button>
          </div>
          {pasteError && <ErrorBox error={pasteError} title="That URL does not finish this flow" compact />}
        </form>
      )}

      {error && <ErrorBox error={error} title="The install flow failed" />}
      {outcome && (
        <div className="notice" role="status" data-testid="install-outcome">
          Installed as <code>{outcome.install.install}</code> on <code>{outcome.install.stripe_user_id}</code> ({outcome.install.kind}).
        </div>
      )}
      {(steps.length > 0 || busy) && <SequenceDiagram steps={steps} live={busy} />}
    </section>
  );
}
