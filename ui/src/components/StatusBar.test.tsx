import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { Backend } from "../api/backend";
import type { KeychainStatus } from "../bindings/KeychainStatus";
import { accounts } from "../test/canned";
import { appCalls, KEYCHAIN_OK, SANDBOX_RUNNING } from "../test/appShell";
import { renderWithStub, stubBackend } from "../test/stubBackend";

const unavailable: KeychainStatus = {
  store: null,
  problem: { code: "keychain-unavailable", message: "No Secret Service on the session bus." },
  service: "dev.appdeck.desktop.dev",
};

function renderApp(calls: Partial<Backend> = {}) {
  return renderWithStub(<App />, stubBackend(appCalls(calls)));
}

describe("keychain state", () => {
  it("shows the OS keychain in the status bar and no banner when it works", async () => {
    renderApp();
    await waitFor(() => expect(screen.getByTestId("keychain-status")).toHaveTextContent("Keychain: OS keychain"));
    expect(screen.queryByTestId("keychain-unavailable-banner")).not.toBeInTheDocument();
    expect(screen.queryByTestId("session-secrets-banner")).not.toBeInTheDocument();
  });

  it("when unavailable, says why and only keeps secrets in memory after the user chooses it; the warning then stays", async () => {
    const user = userEvent.setup();
    const session: KeychainStatus = { ...unavailable, store: "session-memory" };
    const useSessionSecrets = vi.fn<Backend["useSessionSecrets"]>().mockResolvedValue(session);
    renderApp({
      keychainStatus: vi.fn<Backend["keychainStatus"]>().mockResolvedValue(unavailable),
      useSessionSecrets,
      appsList: vi.fn<Backend["appsList"]>().mockResolvedValue([]),
    });
    const banner = await screen.findByTestId("keychain-unavailable-banner");
    expect(banner).toHaveTextContent("No Secret Service on the session bus.");
    expect(screen.getByTestId("keychain-problem-code")).toHaveTextContent("keychain-unavailable");
    expect(screen.getByTestId("keychain-status")).toHaveTextContent("unavailable (keychain-unavailable)");
    expect(useSessionSecrets, "never chosen silently").not.toHaveBeenCalled();

    await user.click(screen.getByTestId("use-session-secrets"));
    expect(await screen.findByTestId("session-secrets-banner")).toHaveTextContent("in memory for this session only");
    expect(useSessionSecrets).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("keychain-status")).toHaveTextContent("session memory only");
    expect(screen.queryByTestId("keychain-unavailable-banner")).not.toBeInTheDocument();

    // The banner stays across screens.
    await user.click(screen.getByTestId("nav-accounts"));
    expect(screen.getByTestId("session-secrets-banner")).toBeInTheDocument();
  });

  it("Retry asks the keychain again and clears the banner when it answers", async () => {
    const user = userEvent.setup();
    const retryKeychain = vi.fn<Backend["retryKeychain"]>().mockResolvedValue(KEYCHAIN_OK);
    renderApp({ keychainStatus: vi.fn<Backend["keychainStatus"]>().mockResolvedValue(unavailable), retryKeychain });
    await user.click(await screen.findByTestId("keychain-retry"));
    await waitFor(() => expect(screen.queryByTestId("keychain-unavailable-banner")).not.toBeInTheDocument());
    expect(retryKeychain).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("keychain-status")).toHaveTextContent("OS keychain");
  });
});

describe("status bar", () => {
  it("shows the sandbox, toggles auto-consent, and the current account's mode, live in red", async () => {
    const user = userEvent.setup();
    const sandboxSetAutoConsent = vi.fn<Backend["sandboxSetAutoConsent"]>().mockResolvedValue({ ...SANDBOX_RUNNING, auto_consent: true });
    renderApp({ accountsList: vi.fn<Backend["accountsList"]>().mockResolvedValue(accounts.prodCurrent), sandboxSetAutoConsent });
    await waitFor(() => expect(screen.getByTestId("sandbox-status")).toHaveTextContent("running at http://127.0.0.1:12111"));
    const toggle = screen.getByTestId("auto-consent-toggle");
    expect(toggle).not.toBeChecked();
    await user.click(toggle);
    await waitFor(() => expect(screen.getByTestId("auto-consent-toggle")).toBeChecked());
    expect(sandboxSetAutoConsent.mock.calls).toEqual([[true]]);
    const badge = await screen.findByTestId("status-mode-badge");
    expect(badge).toHaveAttribute("data-mode", "live");
    expect(badge).toHaveClass("mode-live");
    expect(badge).toHaveTextContent("LIVE");
  });
});
