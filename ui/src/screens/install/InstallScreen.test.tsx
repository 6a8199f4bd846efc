import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { FakeBackend } from "../../api/fake";
import { fakeInstall } from "../../api/fakeWorld";
import { renderWithBackend } from "../../test/render";
import { InstallScreen } from "./InstallScreen";

const PATH = "/p/stripe-app.json";
const MANIFEST = JSON.stringify({
  id: "com.example.app",
  version: "1.0.0",
  name: "Orders",
  allowed_redirect_uris: ["https://backend.example.com/oauth/callback"],
});

const steps = () => screen.queryAllByTestId("timeline-step");

describe("install flow", () => {
  it("draws each step as it arrives, then shows the install", async () => {
    const user = userEvent.setup();
    const backend = new FakeBackend({ files: { [PATH]: MANIFEST }, stepMs: "manual" });
    renderWithBackend(<InstallScreen manifestPath={PATH} />, backend);
    await user.click(await screen.findByTestId("install-run"));
    await waitFor(() => expect(screen.getByTestId("install-status")).toHaveAttribute("data-phase", "running"));
    expect(steps()).toHaveLength(0);

    act(() => backend.world.advanceFlows());
    await waitFor(() => expect(steps()).toHaveLength(1));
    expect(steps()[0]).toHaveAttribute("data-kind", "listening");
    expect(steps()[0]).toHaveAttribute("data-from", "appdeck");
    expect(steps()[0]).toHaveAttribute("data-to", "loopback");
    expect(screen.getByTestId("install-status")).toHaveAttribute("data-phase", "running");

    act(() => backend.world.advanceFlows());
    await waitFor(() => expect(steps()).toHaveLength(2));
    expect(steps()[1]).toHaveAttribute("data-kind", "authorize-url");

    for (let i = 0; i < 6; i++) act(() => backend.world.advanceFlows());
    await waitFor(() => expect(screen.getByTestId("install-status")).toHaveAttribute("data-phase", "succeeded"));
    expect(steps().map((s) => s.dataset.kind)).toEqual(["listening", "authorize-url", "browser", "callback", "token-request", "token-response", "keychain-write", "recorded"]);
    expect(screen.getByTestId("install-outcome")).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByTestId("installs-row")).toHaveLength(2));
    expect(backend.callsOf("install_start")[0]).toMatchObject({ platform: false, timeout_secs: 300, redirect_uri: undefined });
  });

  it("Cancel stops the flow with oauth-cancelled and shows the error step", async () => {
    const user = userEvent.setup();
    const backend = new FakeBackend({ files: { [PATH]: MANIFEST }, stepMs: "manual" });
    renderWithBackend(<InstallScreen manifestPath={PATH} />, backend);
    await user.click(await screen.findByTestId("install-run"));
    act(() => backend.world.advanceFlows());
    await user.click(await screen.findByTestId("install-cancel"));
    await waitFor(() => expect(screen.getByTestId("install-status")).toHaveAttribute("data-code", "oauth-cancelled"));
    expect(backend.callsOf("install_cancel")).toHaveLength(1);
    expect(steps().at(-1)).toHaveAttribute("data-kind", "error");
    expect(screen.getByTestId("error")).toHaveAttribute("data-code", "oauth-cancelled");
    expect(screen.getAllByTestId("installs-row"), "nothing recorded").toHaveLength(1);
  });

  it("a timeout names allowed_redirect_uris", async () => {
    const user = userEvent.setup();
    const backend = new FakeBackend({ files: { [PATH]: MANIFEST }, stepMs: "manual" });
    renderWithBackend(<InstallScreen manifestPath={PATH} />, backend);
    const timeout = await screen.findByTestId("install-timeout");
    await user.clear(timeout);
    await user.type(timeout, "1");
    await user.click(screen.getByTestId("install-run"));
    const error = await screen.findByTestId("error", {}, { timeout: 3000 });
    expect(error).toHaveAttribute("data-code", "oauth-timeout");
    expect(error).toHaveTextContent("allowed_redirect_uris");
  });

  it("a redirect URI that isn't loopback asks for the landed URL and checks its state", async () => {
    const user = userEvent.setup();
    const backend = new FakeBackend({ files: { [PATH]: MANIFEST }, stepMs: 1 });
    renderWithBackend(<InstallScreen manifestPath={PATH} />, backend);
    const picker = await screen.findByTestId("install-redirect");
    await within(picker).findByText("https://backend.example.com/oauth/callback");
    await user.selectOptions(picker, "https://backend.example.com/oauth/callback");
    await user.click(screen.getByTestId("install-run"));
    const input = await screen.findByTestId("install-paste-url");
    const url = screen.getByTestId("install-authorize-url").textContent ?? "";
    const state = new URL(url).searchParams.get("state") ?? "";

    await user.type(input, "https://backend.example.com/oauth/callback?code=ac_1&state=wrong");
    await user.click(screen.getByTestId("install-paste-submit"));
    expect(await screen.findByTestId("error")).toHaveAttribute("data-code", "oauth-state-mismatch");

    await user.clear(input);
    await user.type(input, `https://backend.example.com/oauth/callback?code=ac_1&state=${state}`);
    await user.click(screen.getByTestId("install-paste-submit"));
    await waitFor(() => expect(screen.getByTestId("install-status")).toHaveAttribute("data-phase", "succeeded"));
    expect(steps().map((s) => s.dataset.kind)).toContain("token-response");
  });
});

describe("installs", () => {
  it("shows masked hints, refreshes and forgets", async () => {
    const user = userEvent.setup();
    const { backend, container } = renderWithBackend(<InstallScreen manifestPath={PATH} />, {
      files: { [PATH]: MANIFEST },
      installs: [fakeInstall("inst_a"), fakeInstall("inst_b", { status: "needs-reauthorization" })],
    });
    const rows = await screen.findAllByTestId("installs-row");
    expect(rows).toHaveLength(2);
    expect(within(rows[0] as HTMLElement).getByTestId("access-hint")).toHaveTextContent("sk_test_…f3a9");
    expect(within(rows[0] as HTMLElement).getByTestId("access-expiry")).toHaveTextContent(/^in /);
    expect(rows[1]).toHaveAttribute("data-status", "needs-reauthorization");
    expect(rows[1]).toHaveTextContent("needs re-authorization");

    await user.click(screen.getByTestId("install-refresh-inst_a"));
    await waitFor(() => expect(backend.callsOf("install_refresh")).toEqual([{ install: "inst_a" }]));
    await waitFor(() => expect(within(screen.getAllByTestId("installs-row")[0] as HTMLElement).getByTestId("access-hint")).not.toHaveTextContent("f3a9"));

    await user.click(screen.getByTestId("install-refresh-inst_b"));
    expect(await screen.findByTestId("error")).toHaveAttribute("data-code", "needs-reauthorization");

    await user.click(screen.getByTestId("install-forget-inst_a"));
    await waitFor(() => expect(screen.getAllByTestId("installs-row")).toHaveLength(1));
    expect(backend.callsOf("install_forget")).toEqual([{ install: "inst_a" }]);
    expect(container.innerHTML).not.toMatch(/sk_test_[A-Za-z0-9]{10,}/);
  });

  it("shows install links to copy or open in the browser", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<InstallScreen manifestPath={PATH} />, { files: { [PATH]: MANIFEST } });
    const link = await screen.findByTestId("install-link-oauth");
    expect(link).toHaveTextContent("/oauth/v2/authorize?client_id=");
    expect(await screen.findByTestId("install-link-platform")).toHaveTextContent("/apps/install/link/");
    await user.click(screen.getByTestId("install-link-open-oauth"));
    await waitFor(() => expect(backend.opened).toHaveLength(1));
    expect(backend.opened[0]).toContain("/oauth/v2/authorize");
  });
});
