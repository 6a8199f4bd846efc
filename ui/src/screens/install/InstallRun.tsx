import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useBackend } from "../../api/context";
import { toAppError, type AppError } from "../../api/errors";
import { isBackendOutcome, useInstallFlow } from "../../api/flows";
import { useAccounts, useInstallCheck } from "../../api/queries";
import type { Actor } from "../../bindings/Actor";
import type { InstallCheck } from "../../bindings/InstallCheck";
import { CopyButton } from "../../components/CopyButton";
import { ErrorBox } from "../../components/ErrorBox";
import { SequenceDiagram } from "../../components/SequenceDiagram";
import { copyText, downloadText } from "../../lib/clipboard";
import { toJson } from "../../lib/num";
import { useDebounced } from "../../lib/useDebounced";
import { Checklist } from "./Checklist";
import { AccountPicker, DEFAULT_REDIRECT, RedirectPicker, useRedirectUris } from "./pickers";
import { BlockedNotice, isRefusal, RefusalNotice } from "./Refusal";

const STATUS_TEXT = { idle: "Not started", starting: "Starting…", running: "Waiting for the browser…", succeeded: "Installed", failed: "Failed" };

/** A backend install's lanes: the app's backend takes the loopback listener's place. */
const BACKEND_LANES: Actor[] = ["browser", "backend", "appdeck", "stripe"];

/** Who finishes the install once Stripe redirects. */
type Completion = "appdeck" | "backend";

/**
 * Runs the install flow in the system browser and draws each step as it arrives. Before Run, core's
 * checklist for the same choices; Run is refused while it has a failing line.
 */
export function InstallRun({ manifestPath }: { manifestPath: string }) {
  const id = useId();
  const client = useQueryClient();
  const backend = useBackend();
  const flow = useInstallFlow(client);
  const uris = useRedirectUris(manifestPath);
  const [account, setAccount] = useState("");
  const [redirect, setRedirect] = useState(DEFAULT_REDIRECT);
  const [timeout, setTimeoutSecs] = useState("300");
  const [platform, setPlatform] = useState(false);
  const [completion, setCompletion] = useState<Completion>("appdeck");
  const [into, setInto] = useState("");
  const [pasted, setPasted] = useState("");
  const [pasteError, setPasteError] = useState<AppError | null>(null);
  const [landedSent, setLandedSent] = useState(false);
  const [blocked, setBlocked] = useState<InstallCheck | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const { phase, steps, start, outcome, error } = flow.state;
  const busy = phase === "starting" || phase === "running";
  const viaBackend = completion === "backend";
  const target = viaBackend ? into.trim() || undefined : undefined;
  // Typing the target account shouldn't ask core at every key stroke.
  const checkedTarget = useDebounced(target, 300);
  const choices = { account: account || undefined, redirect_uri: redirect === DEFAULT_REDIRECT ? undefined : redirect, platform, via_backend: viaBackend };
  const intoListId = `${id}-into-list`;
  const accountsView = useAccounts();
  const check = useInstallCheck({ ...choices, into: checkedTarget });
  const secs = Number(timeout);
  const timeoutSecs = Number.isFinite(secs) && secs > 0 ? Math.round(secs) : undefined;

  const run = () => {
    setPasteError(null);
    setLandedSent(false);
    setExported(null);
    // Core's verdict for exactly these choices; while it is loading or could not run, core's
    // own refusals (install_start) still stop what can't work before anything opens.
    if (check.data && !check.data.ok && checkedTarget === target) {
      setBlocked(check.data);
      return;
    }
    setBlocked(null);
    void flow.run({ ...choices, into: target, timeout_secs: timeoutSecs });
  };

  const paste = (e: FormEvent) => {
    e.preventDefault();
    setPasteError(null);
    flow.paste(pasted.trim()).then(
      () => {
        setPasted("");
        if (start?.via_backend) setLandedSent(true);
      },
      (err: unknown) => setPasteError(toAppError(err)),
    );
  };

  const timelineJson = () => toJson({ flow: start?.flow ?? null, authorize_url: start?.authorize_url ?? null, outcome: phase, error: error?.toPayload() ?? null, timeline: steps });
  const statusText = phase === "running" && start?.via_backend ? "Waiting for Stripe's event…" : STATUS_TEXT[phase];
  const showBlocked = blocked !== null && blocked === check.data && !busy;

  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <div className="panel-head">
        <h2 id={`${id}-h`}>Run the install flow</h2>
        <span className={`badge flow-${phase}`} data-testid="install-status" data-phase={phase} data-code={error?.code}>
          {statusText}
          {error ? `: ${error.code}` : ""}
        </span>
      </div>
      <div className="field-row">
        <AccountPicker value={account} onChange={setAccount} testId="install-account" disabled={busy} />
        <RedirectPicker uris={uris} value={redirect} onChange={setRedirect} testId="install-redirect" chosen={check.data?.redirect_uri} disabled={busy} />
        <div className="field field-narrow">
          <label htmlFor={`${id}-timeout`}>Timeout (s)</label>
          <input id={`${id}-timeout`} type="number" min={1} value={timeout} onChange={(e) => setTimeoutSecs(e.target.value)} data-testid="install-timeout" />
        </div>
      </div>
      <fieldset className="install-choice" disabled={busy}>
        <legend>Who completes the install</legend>
        <label className="field-checkbox">
          <input type="radio" name={`${id}-completion`} value="appdeck" checked={!viaBackend} onChange={() => setCompletion("appdeck")} data-testid="install-via-appdeck" />
          Appdeck catches the redirect (loopback, or paste the URL you land on) and exchanges the code
        </label>
        <label className="field-checkbox">
          <input type="radio" name={`${id}-completion`} value="backend" checked={viaBackend} onChange={() => setCompletion("backend")} data-testid="install-via-backend" />
          The app&apos;s backend completes it (confirmed from Stripe&apos;s events; Appdeck never touches the code)
        </label>
        {viaBackend && (
          <div className="field field-into">
            <label htmlFor={`${id}-into`}>Installed into</label>
            <input
              id={`${id}-into`}
              className="mono"
              list={intoListId}
              value={into}
              onChange={(e) => setInto(e.target.value)}
              placeholder="acct_… or an account name"
              data-testid="install-into"
            />
            <datalist id={intoListId}>
              {accountsView.data?.accounts
                .filter((a) => a.account_id !== "")
                .map((a) => (
                  <option key={a.name} value={a.name}>
                    {a.account_id}
                  </option>
                ))}
            </datalist>
            <div className="field-hint">The account the tester installs the app into: Stripe lists the install&apos;s event there, where Appdeck reads it as the developer.</div>
          </div>
        )}
      </fieldset>
      <label className="field-checkbox">
        <input type="checkbox" checked={platform} disabled={busy} onChange={(e) => setPlatform(e.target.checked)} data-testid="install-platform" />
        Platform install link (verifies install_signature instead of exchanging a code)
      </label>

      <Checklist check={check} />

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

      {showBlocked && <BlockedNotice check={blocked} />}

      {start && busy && (
        <div className="field">
          <span className="label">The browser was opened on</span>
          <div className="url-box">
            <code data-testid="install-authorize-url">{start.authorize_url}</code>
            <CopyButton text={start.authorize_url} />
            <button type="button" className="btn btn-small" onClick={() => void backend.openUrl(start.authorize_url).catch(() => undefined)}>
              Open again
            </button>
          </div>
          <div className="field-hint">
            Redirect URI: <code>{start.redirect_uri}</code>
          </div>
        </div>
      )}

      {start?.via_backend && busy && (
        <div className="backend-wait" data-testid="install-backend-wait">
          <p>
            The app&apos;s backend at <code>{start.redirect_uri}</code> receives the code and exchanges it. Appdeck waits for Stripe&apos;s{" "}
            <code>account.application.authorized</code> for this app in the developer account&apos;s events
            {timeoutSecs ? ` (up to ${timeoutSecs} s)` : ""}.
          </p>
          <form className="inline-form" onSubmit={paste}>
            <label htmlFor={`${id}-landed`} className="small">
              <strong>Second signal (optional):</strong> the URL the browser landed on. Appdeck notes it on the timeline and checks its state; its code stays the backend&apos;s.
            </label>
            <input
              id={`${id}-landed`}
              className="mono"
              value={pasted}
              onChange={(e) => setPasted(e.target.value)}
              placeholder={`${start.redirect_uri}?code=…&state=…`}
              data-testid="install-landed-url"
            />
            <button type="submit" className="btn" disabled={!pasted.trim()} data-testid="install-landed-submit">
              Note the landing URL
            </button>
          </form>
          {landedSent && (
            <p className="muted small" role="status" data-testid="install-landed-sent">
              Handed to the waiting flow as a second signal: its verdict shows on the timeline (a decline or another flow&apos;s state ends the flow); the
              install is confirmed by Stripe&apos;s event.
            </p>
          )}
          {pasteError && <ErrorBox error={pasteError} title="That URL was not taken" compact />}
        </div>
      )}

      {start && !start.loopback && !start.via_backend && busy && (
        <form className="paste-form" onSubmit={paste}>
          <label htmlFor={`${id}-paste`}>
            <strong>Paste the URL you landed on</strong> <span className="muted small">(the redirect URI isn&apos;t loopback, so Appdeck can&apos;t hear the callback)</span>
          </label>
          <div className="inline-form">
            <input
              id={`${id}-paste`}
              className="mono"
              value={pasted}
              onChange={(e) => setPasted(e.target.value)}
              placeholder={`${start.redirect_uri}?code=…&state=…`}
              data-testid="install-paste-url"
            />
            <button type="submit" className="btn btn-primary" disabled={!pasted.trim()} data-testid="install-paste-submit">
              Finish install
            </button>
          </div>
          {pasteError && <ErrorBox error={pasteError} title="That URL does not finish this flow" compact />}
        </form>
      )}

      {isRefusal(error) ? <RefusalNotice error={error} /> : error && <ErrorBox error={error} title="The install flow failed" />}
      {outcome &&
        (isBackendOutcome(outcome) ? (
          <div className="notice" role="status" data-testid="install-backend-outcome" data-account={outcome.install.stripe_account} data-event={outcome.install.event}>
            Installed on <code>{outcome.install.stripe_account}</code>: confirmed by Stripe&apos;s <code>account.application.authorized</code> event{" "}
            <code>{outcome.install.event}</code>, seen in {outcome.install.account}&apos;s events
            {outcome.install.landed ? " (the landing URL was noted too)" : ""}. The app&apos;s backend holds the tokens; Appdeck kept none.
          </div>
        ) : (
          <div className="notice" role="status" data-testid="install-outcome">
            Installed as <code>{outcome.install.install}</code> on <code>{outcome.install.stripe_user_id}</code> ({outcome.install.kind}).
          </div>
        ))}
      {(steps.length > 0 || busy) && <SequenceDiagram steps={steps} live={busy} lanes={start?.via_backend ? BACKEND_LANES : undefined} />}
    </section>
  );
}
