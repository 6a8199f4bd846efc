import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../App";
import { fakeAccount } from "../api/fakeWorld";
import { renderWithBackend } from "../test/render";

const TEXT = '{\n  "id": "com.example.app",\n  "version": "1.0.0",\n  "name": "Orders"\n}\n';
const files = { "/a/stripe-app.json": TEXT };
const unavailable = {
  store: null,
  problem: { code: "keychain-unavailable" as const, message: "No Secret Service on the session bus." },
  service: "dev.appdeck.desktop.dev",
};

describe("keychain state", () => {
  it("shows the OS keychain in the status bar and no banner when it works", async () => {
    renderWithBackend(<App />, { files });
    await waitFor(() => expect(screen.getByTestId("keychain-status")).toHaveTextContent("Keychain: OS keychain"));
    expect(screen.queryByTestId("keychain-unavailable-banner")).not.toBeInTheDocument();
    expect(screen.queryByTestId("session-secrets-banner")).not.toBeInTheDocument();
  });

  it("when unavailable, says why and only keeps secrets in memory after the user chooses it; the warning then stays", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<App />, { files, keychain: unavailable });
    const banner = await screen.findByTestId("keychain-unavailable-banner");
    expect(banner).toHaveTextContent("No Secret Service on the session bus.");
    expect(screen.getByTestId("keychain-problem-code")).toHaveTextContent("keychain-unavailable");
    expect(screen.getByTestId("keychain-status")).toHaveTextContent("unavailable (keychain-unavailable)");
    expect(backend.callsOf("use_session_secrets"), "never chosen silently").toHaveLength(0);

    await user.click(screen.getByTestId("use-session-secrets"));
    expect(await screen.findByTestId("session-secrets-banner")).toHaveTextContent("in memory for this session only");
    expect(backend.callsOf("use_session_secrets")).toHaveLength(1);
    expect(screen.getByTestId("keychain-status")).toHaveTextContent("session memory only");
    expect(screen.queryByTestId("keychain-unavailable-banner")).not.toBeInTheDocument();

    // The banner stays across screens.
    await user.click(screen.getByTestId("nav-accounts"));
    expect(screen.getByTestId("session-secrets-banner")).toBeInTheDocument();
  });

  it("Retry asks the keychain again and clears the banner when it answers", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<App />, {
      files,
      keychain: unavailable,
      keychainRetry: { store: "os-keychain", problem: null, service: "dev.appdeck.desktop.dev" },
    });
    await user.click(await screen.findByTestId("keychain-retry"));
    await waitFor(() => expect(screen.queryByTestId("keychain-unavailable-banner")).not.toBeInTheDocument());
    expect(backend.callsOf("retry_keychain")).toHaveLength(1);
    expect(screen.getByTestId("keychain-status")).toHaveTextContent("OS keychain");
  });
});

describe("status bar", () => {
  it("shows the sandbox, toggles auto-consent, and the current account's mode, live in red", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<App />, { files, accounts: [fakeAccount("prod", "live")], current: "prod" });
    await waitFor(() => expect(screen.getByTestId("sandbox-status")).toHaveTextContent("running at http://127.0.0.1:12111"));
    const toggle = screen.getByTestId("auto-consent-toggle");
    expect(toggle).not.toBeChecked();
    await user.click(toggle);
    await waitFor(() => expect(screen.getByTestId("auto-consent-toggle")).toBeChecked());
    expect(backend.callsOf("sandbox_set_auto_consent")).toEqual([{ on: true }]);
    const badge = await screen.findByTestId("status-mode-badge");
    expect(badge).toHaveAttribute("data-mode", "live");
    expect(badge).toHaveClass("mode-live");
    expect(badge).toHaveTextContent("LIVE");
  });
});
