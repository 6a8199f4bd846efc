import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import type { QaRunResult } from "../../bindings/QaRunResult";
import type { RecordStatus } from "../../bindings/RecordStatus";
import type { QaFlowFile } from "../../bindings/QaFlowFile";
import type { QaProgress } from "../../bindings/QaProgress";
import { appError, install, present, qa as canned } from "../../test/canned";
import { answering, renderWithStub, stubBackend } from "../../test/stubBackend";
import { InstallScreen } from "../install/InstallScreen";
import { QaScreen } from "./QaScreen";

const MANIFEST = install.manifest.document.path;
const NOT_RECORDING: RecordStatus = { recording: false, steps: 0 };

/**
 * A run the shell started: `qaStart` answers at once and keeps the progress channel, so the test
 * streams core's progress when it chooses; `qaWait` answers with core's result when the test says.
 */
function startedRun(progress: QaProgress[], result: QaRunResult) {
  let onProgress: (p: QaProgress) => void = () => undefined;
  let sent = 0;
  let resolve: (r: QaRunResult) => void = () => undefined;
  const qaStart = vi.fn<Backend["qaStart"]>(async (_options, to) => {
    onProgress = to;
    return { run: result.run, report_dir: result.files.markdown.replace(/\/report\.md$/, "") };
  });
  const qaWait = vi.fn<Backend["qaWait"]>(() => new Promise((r) => (resolve = r)));
  const stream = (until: (p: QaProgress) => boolean) =>
    act(() => {
      while (sent < progress.length) {
        const p = progress[sent++] as QaProgress;
        onProgress(p);
        if (until(p)) break;
      }
    });
  return {
    qaStart,
    qaWait,
    /** Streams progress up to and including the first event `until` accepts. */
    stream,
    /** Streams the rest and ends the run with core's result. */
    finish: async () => {
      await stream(() => false);
      await act(() => resolve(result));
    },
  };
}

function renderQa(flows: QaFlowFile[], calls: Partial<Backend>) {
  const backend = stubBackend({
    qaFlows: vi.fn<Backend["qaFlows"]>(answering([[[MANIFEST], flows]])),
    qaRecordStatus: vi.fn<Backend["qaRecordStatus"]>().mockResolvedValue(NOT_RECORDING),
    ...calls,
  });
  return renderWithStub(<QaScreen manifestPath={MANIFEST} />, backend);
}

const firstStep = (p: QaProgress) => p.kind === "step";
const consent = (p: QaProgress) => p.kind === "consent";

describe("QaScreen", () => {
  it("runs the picked flow with overrides, shows each step as core reports it, then the results and the report buttons", async () => {
    const user = userEvent.setup();
    const run = startedRun(canned.smokeTwoByTwoProgress, canned.smokeTwoByTwoResult);
    const qaOpenReport = vi.fn<Backend["qaOpenReport"]>().mockResolvedValue(undefined);
    renderQa([canned.flowSmoke], { qaStart: run.qaStart, qaWait: run.qaWait, qaOpenReport });
    await waitFor(() => expect(screen.getByTestId("qa-flow-picker")).toHaveValue(canned.flowSmoke.path));
    expect(screen.getByTestId("qa-flow-summary")).toHaveTextContent("5 steps × 1 loop on install-1");
    await user.type(screen.getByTestId("qa-accounts"), "install-1, install-2");
    await user.type(screen.getByTestId("qa-loops"), "2");
    await user.click(screen.getByTestId("qa-run"));
    await waitFor(() => expect(run.qaWait).toHaveBeenCalledWith("qa_1"));
    expect(run.qaStart.mock.calls[0]?.[0]).toEqual({ flow: canned.flowSmoke.path, manifest_path: MANIFEST, accounts: ["install-1", "install-2"], loops: 2 });

    await run.stream(firstStep);
    expect(await screen.findByTestId("qa-current")).toHaveTextContent("install-1 · loop 1/2 · step 1/5");
    await run.finish();
    const results = await screen.findByTestId("qa-results");
    const { totals, report } = canned.smokeTwoByTwoResult;
    expect(results).toHaveAttribute("data-passed", "true");
    expect(screen.getAllByTestId("qa-step")).toHaveLength(totals.steps);
    expect(screen.getAllByTestId("qa-iteration").map((r) => [r.dataset.account, r.dataset.loop])).toEqual(
      report.iterations.map((it) => [it.account, String(it.loop_index)]),
    );
    expect(screen.getByTestId("qa-summary")).toHaveTextContent(`${totals.passed} of ${totals.steps} steps passed`);
    await user.click(screen.getByTestId("qa-open-junit"));
    await user.click(screen.getByTestId("qa-open-folder"));
    expect(qaOpenReport.mock.calls).toEqual([
      ["qa_1", "junit"],
      ["qa_1", "folder"],
    ]);
  });

  it("keeps the run going while the user is on another screen, and shows its result on return", async () => {
    const user = userEvent.setup();
    const run = startedRun(canned.smokeProgress, canned.smokeResult);
    function Screens() {
      const [qa, setQa] = useState(true);
      return (
        <>
          <button type="button" onClick={() => setQa(!qa)}>
            switch
          </button>
          {qa ? <QaScreen manifestPath={MANIFEST} /> : <p>another screen</p>}
        </>
      );
    }
    const backend = stubBackend({
      qaFlows: vi.fn<Backend["qaFlows"]>().mockResolvedValue([canned.flowSmoke]),
      qaRecordStatus: vi.fn<Backend["qaRecordStatus"]>().mockResolvedValue(NOT_RECORDING),
      qaStart: run.qaStart,
      qaWait: run.qaWait,
    });
    renderWithStub(<Screens />, backend);
    await user.click(await screen.findByTestId("qa-run"));
    await waitFor(() => expect(run.qaWait).toHaveBeenCalled());
    await run.stream(firstStep);
    await screen.findByTestId("qa-current");
    await user.click(screen.getByText("switch"));
    expect(screen.queryByTestId("qa-progress")).toBeNull();
    await run.finish();
    await user.click(screen.getByText("switch"));
    expect(await screen.findByTestId("qa-results")).toHaveAttribute("data-passed", "true");
    expect(screen.getAllByTestId("qa-step")).toHaveLength(canned.smokeResult.totals.steps);
  });

  it("shows a failing step's message with its masked request and response, as core reports them", async () => {
    const user = userEvent.setup();
    const run = startedRun(canned.failsProgress, canned.failsResult);
    renderQa([canned.flowFails], { qaStart: run.qaStart, qaWait: run.qaWait });
    await user.click(await screen.findByTestId("qa-run"));
    await waitFor(() => expect(run.qaWait).toHaveBeenCalled());
    await run.finish();
    const results = await screen.findByTestId("qa-results");
    expect(results).toHaveAttribute("data-verdict", "FAILED");
    const failed = canned.failsResult.report.iterations[0]?.steps.find((s) => s.outcome === "failed");
    if (!failed?.exchange) throw new Error("core's failing step has no exchange");
    const failure = within(results).getByTestId("qa-failure");
    expect(failure).toHaveTextContent(`step ${failed.index}. ${failed.label}: ${present(failed.message, "failure message")}`);
    expect(failure).toHaveTextContent(`Response (${failed.exchange.status}):`);
    const done = canned.failsProgress.flatMap((p) => (p.kind === "step-done" ? [p.data.outcome] : []));
    expect(screen.getAllByTestId("qa-step").map((s) => s.dataset.outcome)).toEqual(done);
    const { totals } = canned.failsResult;
    expect(screen.getByTestId("qa-summary")).toHaveTextContent(`${totals.passed} of ${totals.steps} steps passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  });

  it("pauses at consent for a real account with an Open-in-browser button, and cancels by run", async () => {
    const user = userEvent.setup();
    const run = startedRun(canned.realCancelledProgress, canned.realCancelledResult);
    const openUrl = vi.fn<Backend["openUrl"]>().mockResolvedValue(undefined);
    const qaCancel = vi.fn<Backend["qaCancel"]>(() => run.finish());
    renderQa([canned.flowReal], { qaStart: run.qaStart, qaWait: run.qaWait, openUrl, qaCancel });
    await user.click(await screen.findByTestId("qa-run"));
    await waitFor(() => expect(run.qaWait).toHaveBeenCalled());
    await run.stream(consent);
    const pause = canned.realCancelledProgress.find((p) => p.kind === "consent");
    if (pause?.kind !== "consent") throw new Error("core's run never paused for consent");
    const banner = await screen.findByTestId("qa-consent");
    expect(banner).toHaveTextContent(`${pause.data.account} is a real account`);
    expect(screen.getByTestId("qa-consent-url")).toHaveTextContent(pause.data.url);
    await user.click(within(banner).getByTestId("qa-consent-open"));
    expect(openUrl.mock.calls).toEqual([[pause.data.url]]);
    expect(screen.queryByTestId("qa-results")).toBeNull();
    await user.click(screen.getByTestId("qa-cancel"));
    const results = await screen.findByTestId("qa-results");
    expect(results).toHaveAttribute("data-verdict", "CANCELLED");
    expect(qaCancel.mock.calls).toEqual([["qa_1"]]);
  });

  it("continues after consent when the user accepts in the browser", async () => {
    const user = userEvent.setup();
    const run = startedRun(canned.realAcceptedProgress, canned.realAcceptedResult);
    renderQa([canned.flowReal], { qaStart: run.qaStart, qaWait: run.qaWait });
    await user.click(await screen.findByTestId("qa-run"));
    await waitFor(() => expect(run.qaWait).toHaveBeenCalled());
    await run.stream(consent);
    await screen.findByTestId("qa-consent");
    await run.finish();
    expect(await screen.findByTestId("qa-results")).toHaveAttribute("data-passed", "true");
    expect(screen.queryByTestId("qa-consent")).toBeNull();
  });

  it("refuses bad overrides, and shows core's located error for a malformed or missing flow", async () => {
    const user = userEvent.setup();
    const qaFlowFile = vi.fn<Backend["qaFlowFile"]>(answering([[[canned.flowMissing.path], canned.flowMissing]]));
    renderQa([canned.flowBad, canned.flowSmoke], { qaFlowFile });
    await waitFor(() => expect(screen.getByTestId("qa-flow-picker")).toHaveValue(canned.flowSmoke.path));
    await user.selectOptions(screen.getByTestId("qa-flow-picker"), canned.flowBad.path);
    expect(screen.getByTestId("qa-flow-error")).toHaveTextContent(present(canned.flowBad.error, "syntax error"));
    expect(screen.getByTestId("qa-run")).toBeDisabled();
    await user.selectOptions(screen.getByTestId("qa-flow-picker"), canned.flowSmoke.path);
    expect(screen.getByTestId("qa-run")).toBeEnabled();
    await user.type(screen.getByTestId("qa-loops"), "0");
    expect(screen.getByText("Loops must be a whole number from 1 to 10000.")).toBeInTheDocument();
    expect(screen.getByTestId("qa-run")).toBeDisabled();
    await user.type(screen.getByTestId("qa-open-path"), canned.flowMissing.path);
    await user.click(screen.getByTestId("qa-open-file"));
    await waitFor(() => expect(screen.getByTestId("qa-flow-picker")).toHaveValue(canned.flowMissing.path));
    expect(screen.getByTestId("qa-flow-error")).toHaveTextContent(present(canned.flowMissing.error, "read error"));
  });

  it("records from the Install screen's toggle, saves what the shell recorded as a flow, picks it, runs it, and refuses to overwrite it", async () => {
    const user = userEvent.setup();
    const qaRecordStart = vi.fn<Backend["qaRecordStart"]>().mockResolvedValue({ recording: true, steps: 0 });
    const first = renderWithStub(
      <InstallScreen manifestPath={MANIFEST} />,
      stubBackend({
        loadManifest: vi.fn<Backend["loadManifest"]>().mockResolvedValue(install.manifest),
        accountsList: vi.fn<Backend["accountsList"]>().mockResolvedValue(install.accounts),
        installCheck: vi.fn<Backend["installCheck"]>().mockResolvedValue(install.check),
        installsList: vi.fn<Backend["installsList"]>().mockResolvedValue([]),
        installLink: vi.fn<Backend["installLink"]>().mockResolvedValue(install.linkOauth),
        qaRecordStatus: vi.fn<Backend["qaRecordStatus"]>().mockResolvedValue(NOT_RECORDING),
        qaRecordStart,
      }),
    );
    await user.click(await screen.findByTestId("record-toggle"));
    await waitFor(() => expect(screen.getByTestId("record-indicator")).toHaveAttribute("data-recording", "on"));
    expect(qaRecordStart).toHaveBeenCalledTimes(1);
    first.unmount();

    // Meanwhile the shell noted an install and a call as it (core's journal, saved below).
    const run = startedRun(canned.recordedProgress, canned.recordedResult);
    const qaFlows = vi.fn<Backend["qaFlows"]>().mockResolvedValue([canned.flowSmoke]);
    const qaRecordSave = vi
      .fn<Backend["qaRecordSave"]>()
      .mockImplementationOnce(async () => {
        qaFlows.mockResolvedValue([canned.flowSmoke, canned.recordedFlow]);
        return canned.recordedFlow;
      })
      .mockRejectedValueOnce(appError(canned.recordedExists));
    renderQa([], {
      qaFlows,
      qaRecordStatus: vi.fn<Backend["qaRecordStatus"]>().mockResolvedValue({ recording: true, steps: canned.recordedFlow.steps }),
      qaRecordSave,
      qaStart: run.qaStart,
      qaWait: run.qaWait,
    });
    await waitFor(() => expect(screen.getByTestId("qa-record-count")).toHaveTextContent(`${canned.recordedFlow.steps} steps recorded`));
    await user.clear(screen.getByTestId("qa-record-name"));
    await user.type(screen.getByTestId("qa-record-name"), "Recorded smoke");
    await user.click(screen.getByTestId("qa-record-save"));
    expect(await screen.findByTestId("qa-record-saved")).toHaveTextContent(`Saved ${canned.recordedFlow.path}: ${canned.recordedFlow.steps} steps`);
    expect(qaRecordSave.mock.calls).toEqual([[MANIFEST, "Recorded smoke"]]);
    await waitFor(() => expect(screen.getByTestId("qa-flow-picker")).toHaveValue(canned.recordedFlow.path));

    await user.click(screen.getByTestId("qa-run"));
    await waitFor(() => expect(run.qaWait).toHaveBeenCalled());
    expect(run.qaStart.mock.calls[0]?.[0]).toMatchObject({ flow: canned.recordedFlow.path });
    await run.finish();
    expect(await screen.findByTestId("qa-results")).toHaveAttribute("data-passed", "true");
    await user.click(screen.getByTestId("qa-record-save"));
    expect(await screen.findByText("The flow was not saved")).toBeInTheDocument();
    expect(screen.getByTestId("error")).toHaveTextContent(canned.recordedExists.message);
  });
});
