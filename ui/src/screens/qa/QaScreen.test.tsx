import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { DEMO_FLOW, DEMO_PATH } from "../../api/fake";
import { renderWithBackend } from "../../test/render";
import { ApiScreen } from "../api/ApiScreen";
import { InstallScreen } from "../install/InstallScreen";
import { QaScreen } from "./QaScreen";

describe("QaScreen", () => {
  it("runs the picked flow with overrides, shows each step as it finishes, then the results and the report buttons", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<QaScreen manifestPath={DEMO_PATH} />);
    await waitFor(() => expect(screen.getByTestId("qa-flow-picker")).toHaveValue(DEMO_FLOW));
    expect(screen.getByTestId("qa-flow-summary")).toHaveTextContent("5 steps × 1 loop on install-1");
    await user.type(screen.getByTestId("qa-accounts"), "install-1, install-2");
    await user.type(screen.getByTestId("qa-loops"), "2");
    await user.click(screen.getByTestId("qa-run"));
    expect(await screen.findByTestId("qa-current")).toHaveTextContent(/install-1 · loop 1\/2 · step \d\/5/);
    const results = await screen.findByTestId("qa-results", {}, { timeout: 5000 });
    expect(backend.callsOf("qa_start")[0]).toMatchObject({ flow: DEMO_FLOW, manifest_path: DEMO_PATH, accounts: ["install-1", "install-2"], loops: 2 });
    expect(results).toHaveAttribute("data-passed", "true");
    expect(screen.getAllByTestId("qa-step")).toHaveLength(20);
    expect(screen.getAllByTestId("qa-iteration").map((r) => [r.dataset.account, r.dataset.loop])).toEqual([
      ["install-1", "1"], ["install-2", "1"], ["install-1", "2"], ["install-2", "2"],
    ]);
    expect(screen.getByTestId("qa-summary")).toHaveTextContent("20 of 20 steps passed");
    await user.click(screen.getByTestId("qa-open-junit"));
    await user.click(screen.getByTestId("qa-open-folder"));
    const run = backend.callsOf("qa_wait")[0]?.run;
    expect(backend.qa.opened).toEqual([{ run, what: "junit" }, { run, what: "folder" }]);
  });

  it("keeps the run going while the user is on another screen, and shows its result on return", async () => {
    const user = userEvent.setup();
    function Screens() {
      const [qa, setQa] = useState(true);
      return (
        <>
          <button type="button" onClick={() => setQa(!qa)}>
            switch
          </button>
          {qa ? <QaScreen manifestPath={DEMO_PATH} /> : <p>another screen</p>}
        </>
      );
    }
    renderWithBackend(<Screens />);
    await user.click(await screen.findByTestId("qa-run"));
    await screen.findByTestId("qa-current");
    await user.click(screen.getByText("switch"));
    expect(screen.queryByTestId("qa-progress")).toBeNull();
    await new Promise((r) => setTimeout(r, 400));
    await user.click(screen.getByText("switch"));
    expect(await screen.findByTestId("qa-results", {}, { timeout: 5000 })).toHaveAttribute("data-passed", "true");
    expect(screen.getAllByTestId("qa-step")).toHaveLength(5);
  });

  it("shows a failing step's message with its masked request and response", async () => {
    const user = userEvent.setup();
    renderWithBackend(<QaScreen manifestPath={DEMO_PATH} />, {
      qaFlows: [{ path: "/demo/flows/fails.yaml", name: "fails", steps: ["install (OAuth)", "expects the wrong status", "uninstall"], failAt: { step: 2, message: "status: expected 201, got 200" } }],
    });
    await user.click(await screen.findByTestId("qa-run"));
    const results = await screen.findByTestId("qa-results", {}, { timeout: 5000 });
    expect(results).toHaveAttribute("data-verdict", "FAILED");
    const failure = within(results).getByTestId("qa-failure");
    expect(failure).toHaveTextContent("step 2. expects the wrong status: status: expected 201, got 200");
    expect(failure).toHaveTextContent("Response (400):");
    expect(screen.getAllByTestId("qa-step").map((s) => s.dataset.outcome)).toEqual(["passed", "failed"]);
    expect(screen.getByTestId("qa-summary")).toHaveTextContent("1 of 3 steps passed, 1 failed, 1 skipped");
  });

  it("pauses at consent with an Open-in-browser button, and cancels by run", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<QaScreen manifestPath={DEMO_PATH} />, {
      qaFlows: [{ path: "/demo/flows/real.yaml", name: "real", steps: ["install (OAuth)", "list customers"], accounts: ["acct_1Real"], consent: true }],
    });
    await user.click(await screen.findByTestId("qa-run"));
    const consent = await screen.findByTestId("qa-consent");
    expect(consent).toHaveTextContent("acct_1Real is a real account");
    await user.click(within(consent).getByTestId("qa-consent-open"));
    expect(backend.opened).toEqual([screen.getByTestId("qa-consent-url").textContent]);
    expect(screen.queryByTestId("qa-results")).toBeNull();
    await user.click(screen.getByTestId("qa-cancel"));
    const results = await screen.findByTestId("qa-results", {}, { timeout: 5000 });
    expect(results).toHaveAttribute("data-verdict", "CANCELLED");
    expect(backend.callsOf("qa_cancel")).toEqual([{ run: backend.callsOf("qa_wait")[0]?.run }]);
  });

  it("continues after consent when the user accepts", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<QaScreen manifestPath={DEMO_PATH} />, {
      qaFlows: [{ path: "/demo/flows/real.yaml", name: "real", steps: ["install (OAuth)", "list customers"], accounts: ["acct_1Real"], consent: true }],
    });
    await user.click(await screen.findByTestId("qa-run"));
    await screen.findByTestId("qa-consent");
    backend.qa.approveConsent();
    const results = await screen.findByTestId("qa-results", {}, { timeout: 5000 });
    expect(results).toHaveAttribute("data-passed", "true");
    expect(screen.queryByTestId("qa-consent")).toBeNull();
  });

  it("refuses bad overrides and shows a malformed flow's located error", async () => {
    const user = userEvent.setup();
    renderWithBackend(<QaScreen manifestPath={DEMO_PATH} />, {
      qaFlows: [
        { path: "/demo/flows/bad.yaml", name: "", steps: [], error: "/demo/flows/bad.yaml:5:5: unknown step `instal`" },
        { path: "/demo/flows/ok.yaml", name: "ok", steps: ["install"] },
      ],
    });
    await waitFor(() => expect(screen.getByTestId("qa-flow-picker")).toHaveValue("/demo/flows/ok.yaml"));
    await user.selectOptions(screen.getByTestId("qa-flow-picker"), "/demo/flows/bad.yaml");
    expect(screen.getByTestId("qa-flow-error")).toHaveTextContent("bad.yaml:5:5: unknown step `instal`");
    expect(screen.getByTestId("qa-run")).toBeDisabled();
    await user.selectOptions(screen.getByTestId("qa-flow-picker"), "/demo/flows/ok.yaml");
    expect(screen.getByTestId("qa-run")).toBeEnabled();
    await user.type(screen.getByTestId("qa-loops"), "0");
    expect(screen.getByText("Loops must be a whole number from 1 to 10000.")).toBeInTheDocument();
    expect(screen.getByTestId("qa-run")).toBeDisabled();
    await user.type(screen.getByTestId("qa-open-path"), "/elsewhere/missing.yaml");
    await user.click(screen.getByTestId("qa-open-file"));
    await waitFor(() => expect(screen.getByTestId("qa-flow-picker")).toHaveValue("/elsewhere/missing.yaml"));
    expect(screen.getByTestId("qa-flow-error")).toHaveTextContent("cannot read the flow");
  });

  it("records an install and a call on the Install and API screens, saves them as a flow, and the flow is in the picker", async () => {
    const user = userEvent.setup();
    const first = renderWithBackend(<InstallScreen manifestPath={DEMO_PATH} />, { sandbox: { state: "running", base_url: "http://127.0.0.1:9", auto_consent: true, app_id: "com.example", message: null } as never });
    const backend = first.backend;
    await user.click(await screen.findByTestId("record-toggle"));
    await waitFor(() => expect(screen.getByTestId("record-indicator")).toHaveAttribute("data-recording", "on"));
    await user.click(screen.getByTestId("install-run"));
    await waitFor(() => expect(screen.getByTestId("install-status")).toHaveAttribute("data-phase", "succeeded"), { timeout: 5000 });
    first.unmount();

    const api = renderWithBackend(<ApiScreen manifestPath={DEMO_PATH} />, backend);
    await waitFor(() => expect(screen.getByTestId("record-indicator")).toHaveAttribute("data-recording", "on"));
    await user.click(screen.getByTestId("api-send"));
    await waitFor(() => expect(backend.qa.journal).toHaveLength(2));
    api.unmount();

    renderWithBackend(<QaScreen manifestPath={DEMO_PATH} />, backend);
    await waitFor(() => expect(screen.getByTestId("qa-record-count")).toHaveTextContent("2 steps recorded"));
    await user.clear(screen.getByTestId("qa-record-name"));
    await user.type(screen.getByTestId("qa-record-name"), "Recorded smoke");
    await user.click(screen.getByTestId("qa-record-save"));
    expect(await screen.findByTestId("qa-record-saved")).toHaveTextContent("Saved /demo/flows/recorded-smoke.yaml: 2 steps");
    await waitFor(() => expect(screen.getByTestId("qa-flow-picker")).toHaveValue("/demo/flows/recorded-smoke.yaml"));
    expect(backend.callsOf("qa_record_save")).toEqual([{ manifestPath: DEMO_PATH, name: "Recorded smoke" }]);
    await user.click(screen.getByTestId("qa-run"));
    expect(await screen.findByTestId("qa-results", {}, { timeout: 5000 })).toHaveAttribute("data-passed", "true");
    await user.click(screen.getByTestId("qa-record-save"));
    expect(await screen.findByText("The flow was not saved")).toBeInTheDocument();
  });
});
