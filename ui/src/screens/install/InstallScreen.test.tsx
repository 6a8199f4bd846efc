import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import type { InstallStart } from "../../bindings/InstallStart";
import type { InstallOutcome } from "../../bindings/InstallOutcome";
import type { TimelineStep } from "../../bindings/TimelineStep";
import { appError, CANNED_NOW, install as canned } from "../../test/canned";
import { answering, renderWithStub, stubBackend } from "../../test/stubBackend";
import { InstallScreen } from "./InstallScreen";

const PATH = canned.manifest.document.path;
const BACKEND_URI = "https://backend.example.com/oauth/callback";

/** The calls every render of the screen makes (the canned project, no installs yet), plus the test's own. */
function renderScreen(calls: Partial<Backend>) {
  const backend = stubBackend({
    loadManifest: vi.fn<Backend["loadManifest"]>().mockResolvedValue(canned.manifest),
    accountsList: vi.fn<Backend["accountsList"]>().mockResolvedValue(canned.accounts),
    installCheck: vi.fn<Backend["installCheck"]>().mockResolvedValue(canned.check),
    installsList: vi.fn<Backend["installsList"]>().mockResolvedValue([]),
    installLink: vi.fn<Backend["installLink"]>(
      answering([
        [[{ platform: false }], canned.linkOauth],
        [[{ platform: true }], canned.linkPlatform],
      ]),
    ),
    qaRecordStatus: vi.fn<Backend["qaRecordStatus"]>().mockResolvedValue({ recording: false, steps: 0 }),
    ...calls,
  });
  return renderWithStub(<InstallScreen manifestPath={PATH} />, backend);
}

/**
 * A flow the shell started: `installStart` answers at once and keeps the step channel, so the test
 * streams core's steps when it chooses; `installWait` answers when the test settles it.
 */
function startedFlow(start: Omit<InstallStart, "flow">) {
  let onStep: (step: TimelineStep) => void = () => undefined;
  let settle: { resolve: (o: InstallOutcome) => void; reject: (e: unknown) => void } | null = null;
  const installStart = vi.fn<Backend["installStart"]>(async (_options, stepTo) => {
    onStep = stepTo;
    return { flow: "flow_1", ...start };
  });
  const installWait = vi.fn<Backend["installWait"]>(
    () =>
      new Promise<InstallOutcome>((resolve, reject) => {
        settle = { resolve, reject };
      }),
  );
  return {
    installStart,
    installWait,
    stream: (steps: TimelineStep[]) => act(() => steps.forEach((s) => onStep(s))),
    finish: (outcome: InstallOutcome) => act(() => settle?.resolve(outcome)),
    fail: (error: unknown) => act(() => settle?.reject(error)),
  };
}

const loopback = { authorize_url: canned.runAuthorizeUrl, redirect_uri: canned.runRedirectUri, loopback: true, via_backend: false };
const steps = () => screen.queryAllByTestId("timeline-step");
const phase = () => screen.getByTestId("install-status");

describe("install flow", () => {
  it("draws each step as core streams it, then shows the install", async () => {
    const user = userEvent.setup();
    const flow = startedFlow(loopback);
    const installsList = vi.fn<Backend["installsList"]>().mockResolvedValue([]);
    renderScreen({ installStart: flow.installStart, installWait: flow.installWait, installsList });
    await user.click(await screen.findByTestId("install-run"));
    await waitFor(() => expect(phase()).toHaveAttribute("data-phase", "running"));
    expect(steps()).toHaveLength(0);
    expect(flow.installStart.mock.calls[0]?.[0]).toMatchObject({ platform: false, timeout_secs: 300, redirect_uri: undefined });
    expect(flow.installWait).toHaveBeenCalledWith("flow_1");

    const [listening, authorize, ...rest] = canned.runSteps;
    if (!listening || !authorize) throw new Error("core streamed too few steps");
    await flow.stream([listening]);
    expect(steps()).toHaveLength(1);
    expect(steps()[0]).toHaveAttribute("data-kind", listening.kind);
    expect(steps()[0]).toHaveAttribute("data-from", listening.from);
    expect(steps()[0]).toHaveAttribute("data-to", listening.to);
    expect(phase()).toHaveAttribute("data-phase", "running");

    await flow.stream([authorize]);
    expect(steps()).toHaveLength(2);
    expect(steps()[1]).toHaveAttribute("data-kind", authorize.kind);

    installsList.mockResolvedValue(canned.installsAfterRun);
    await flow.stream(rest);
    await flow.finish(canned.runOutcome);
    await waitFor(() => expect(phase()).toHaveAttribute("data-phase", "succeeded"));
    expect(steps().map((s) => s.dataset.kind)).toEqual(canned.runOutcome.timeline.map((s) => s.kind));
    expect(screen.getByTestId("install-outcome")).toHaveTextContent(canned.runOutcome.install.install);
    await waitFor(() => expect(screen.getAllByTestId("installs-row")).toHaveLength(canned.installsAfterRun.length));
  });

  it("Cancel asks the shell to cancel the flow, and shows core's oauth-cancelled and its error step", async () => {
    const user = userEvent.setup();
    const flow = startedFlow(loopback);
    const installCancel = vi.fn<Backend["installCancel"]>().mockResolvedValue(undefined);
    renderScreen({ installStart: flow.installStart, installWait: flow.installWait, installCancel });
    await user.click(await screen.findByTestId("install-run"));
    const errorStep = canned.cancelSteps.at(-1);
    expect(errorStep?.kind).toBe("error");
    await flow.stream(canned.cancelSteps.slice(0, -1));
    await user.click(await screen.findByTestId("install-cancel"));
    expect(installCancel.mock.calls).toEqual([["flow_1"]]);
    await flow.stream(canned.cancelSteps.slice(-1));
    await flow.fail(appError(canned.cancelled));
    await waitFor(() => expect(phase()).toHaveAttribute("data-code", "oauth-cancelled"));
    expect(steps().at(-1)).toHaveAttribute("data-kind", "error");
    expect(screen.getByTestId("error")).toHaveAttribute("data-code", "oauth-cancelled");
    expect(screen.queryByTestId("install-outcome")).not.toBeInTheDocument();
  });

  it("a timeout sends the chosen timeout and shows core's message, which names allowed_redirect_uris", async () => {
    const user = userEvent.setup();
    const flow = startedFlow(loopback);
    renderScreen({ installStart: flow.installStart, installWait: flow.installWait });
    const timeout = await screen.findByTestId("install-timeout");
    await user.clear(timeout);
    await user.type(timeout, "1");
    await user.click(screen.getByTestId("install-run"));
    await waitFor(() => expect(flow.installWait).toHaveBeenCalled());
    expect(flow.installStart.mock.calls[0]?.[0]).toMatchObject({ timeout_secs: 1 });
    await flow.fail(appError(canned.timedOut));
    const error = await screen.findByTestId("error");
    expect(error).toHaveAttribute("data-code", "oauth-timeout");
    expect(error).toHaveTextContent(canned.timedOut.message);
    expect(canned.timedOut.message).toContain("allowed_redirect_uris");
  });

  it("a redirect URI that isn't loopback waits for the landed URL (no install_wait) and finishes with it", async () => {
    const user = userEvent.setup();
    const installStart = vi.fn<Backend["installStart"]>().mockResolvedValue({
      flow: "flow_1",
      authorize_url: canned.pasteAuthorizeUrl2,
      redirect_uri: BACKEND_URI,
      loopback: false,
      via_backend: false,
    });
    const installPasteUrl = vi.fn<Backend["installPasteUrl"]>().mockResolvedValue(canned.pasteOutcome);
    renderScreen({ installStart, installPasteUrl });
    const picker = await screen.findByTestId("install-redirect");
    await within(picker).findByText(BACKEND_URI);
    await user.selectOptions(picker, BACKEND_URI);
    await user.click(screen.getByTestId("install-run"));
    const input = await screen.findByTestId("install-paste-url");
    expect(installStart.mock.calls[0]?.[0]).toMatchObject({ redirect_uri: BACKEND_URI });
    expect(screen.getByTestId("install-authorize-url")).toHaveTextContent(canned.pasteAuthorizeUrl2);

    await user.type(input, canned.pasteLanded);
    await user.click(screen.getByTestId("install-paste-submit"));
    await waitFor(() => expect(phase()).toHaveAttribute("data-phase", "succeeded"));
    expect(installPasteUrl.mock.calls).toEqual([["flow_1", canned.pasteLanded]]);
    expect(steps().map((s) => s.dataset.kind)).toEqual(canned.pasteOutcome.timeline.map((s) => s.kind));
  });

  it("a pasted URL core refuses (another flow's state) shows its code", async () => {
    const user = userEvent.setup();
    const installStart = vi.fn<Backend["installStart"]>().mockResolvedValue({
      flow: "flow_1",
      authorize_url: canned.pasteAuthorizeUrl,
      redirect_uri: BACKEND_URI,
      loopback: false,
      via_backend: false,
    });
    const installPasteUrl = vi.fn<Backend["installPasteUrl"]>().mockRejectedValue(appError(canned.pasteWrongState));
    renderScreen({ installStart, installPasteUrl });
    const picker = await screen.findByTestId("install-redirect");
    await within(picker).findByText(BACKEND_URI);
    await user.selectOptions(picker, BACKEND_URI);
    await user.click(screen.getByTestId("install-run"));
    await user.type(await screen.findByTestId("install-paste-url"), `${BACKEND_URI}?code=ac_wrong&state=wrong`);
    await user.click(screen.getByTestId("install-paste-submit"));
    expect(await screen.findByTestId("error")).toHaveAttribute("data-code", "oauth-state-mismatch");
    expect(screen.getByTestId("error")).toHaveTextContent(canned.pasteWrongState.message);
  });
});

describe("installs", () => {
  // Core's expiries are an hour after its fixed clock: the list reads them at that time.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(CANNED_NOW);
  });
  afterEach(() => vi.useRealTimers());

  const row = (install: string) => {
    const found = screen.getAllByTestId("installs-row").find((r) => r.dataset.install === install);
    if (!found) throw new Error(`no row for ${install}`);
    return found;
  };

  it("shows masked hints and statuses, refreshes (new hint) and forgets; a dead install's refresh shows its code", async () => {
    const user = userEvent.setup();
    const [active, dead] = canned.installs;
    if (active?.status !== "active" || dead?.status !== "needs-reauthorization") throw new Error("the canned installs lack an active and a dead one");
    const [hint, fresh] = [active.access_token_hint, canned.refreshed.access_token_hint];
    if (!hint || !fresh || hint === fresh) throw new Error("core's refresh should give the install a new token hint");
    const installsList = vi.fn<Backend["installsList"]>().mockResolvedValue(canned.installs);
    const installRefresh = vi.fn<Backend["installRefresh"]>(async (install) => {
      if (install === active.install) {
        installsList.mockResolvedValue(canned.installsAfterRefresh);
        return canned.refreshed;
      }
      throw appError(canned.needsReauthorization);
    });
    const installForget = vi.fn<Backend["installForget"]>(async () => {
      installsList.mockResolvedValue(canned.installsAfterForget);
    });
    const { container } = renderScreen({ installsList, installRefresh, installForget });
    await waitFor(() => expect(screen.getAllByTestId("installs-row")).toHaveLength(2));
    expect(within(row(active.install)).getByTestId("access-hint")).toHaveTextContent(hint);
    expect(within(row(active.install)).getByTestId("access-expiry")).toHaveTextContent(/^in /);
    expect(row(dead.install)).toHaveAttribute("data-status", "needs-reauthorization");
    expect(row(dead.install)).toHaveTextContent("needs re-authorization");

    await user.click(screen.getByTestId(`install-refresh-${active.install}`));
    await waitFor(() => expect(within(row(active.install)).getByTestId("access-hint")).toHaveTextContent(fresh));
    expect(installRefresh.mock.calls).toEqual([[active.install]]);

    await user.click(screen.getByTestId(`install-refresh-${dead.install}`));
    expect(await screen.findByTestId("error")).toHaveAttribute("data-code", "needs-reauthorization");

    await user.click(screen.getByTestId(`install-forget-${active.install}`));
    await waitFor(() => expect(screen.getAllByTestId("installs-row")).toHaveLength(canned.installsAfterForget.length));
    expect(installForget.mock.calls).toEqual([[active.install]]);
    expect(container.innerHTML).not.toMatch(/sk_test_[A-Za-z0-9]{10,}/);
  });

  it("shows core's install links to copy or open in the browser", async () => {
    const user = userEvent.setup();
    const openUrl = vi.fn<Backend["openUrl"]>().mockResolvedValue(undefined);
    renderScreen({ openUrl });
    expect(await screen.findByTestId("install-link-oauth")).toHaveTextContent(canned.linkOauth);
    expect(await screen.findByTestId("install-link-platform")).toHaveTextContent(canned.linkPlatform);
    await user.click(screen.getByTestId("install-link-open-oauth"));
    await waitFor(() => expect(openUrl.mock.calls).toEqual([[canned.linkOauth]]));
  });
});
