import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import type { InstallStart } from "../../bindings/InstallStart";
import { AppError } from "../../api/errors";
import type { AccountProfile } from "../../bindings/AccountProfile";
import type { AccountsView } from "../../bindings/AccountsView";
import type { BackendOutcome } from "../../bindings/BackendOutcome";
import type { CheckLine } from "../../bindings/CheckLine";
import type { InstallCheck } from "../../bindings/InstallCheck";
import type { InstallRecord } from "../../bindings/InstallRecord";
import type { ManifestState } from "../../bindings/ManifestState";
import type { TimelineStep } from "../../bindings/TimelineStep";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { InstallRun } from "./InstallRun";
import { InstallsList } from "./InstallsList";

const PATH = "/p/stripe-app.json";
const BACKEND_URI = "https://backend.example.com/stripe/callback";
const LOOPBACK_URI = "http://127.0.0.1:8765/callback";

const manifest: ManifestState = {
  document: { path: PATH, revision: "r1", text: JSON.stringify({ id: "com.example.app", allowed_redirect_uris: [LOOPBACK_URI, BACKEND_URI] }) },
  diagnostics: [],
};

function profile(name: string, kind: AccountProfile["kind"], extra: Partial<AccountProfile> = {}): AccountProfile {
  return {
    name,
    account_id: `acct_${name}`,
    mode: kind === "sandbox" ? "test" : kind,
    kind,
    credential: "secret-key",
    api_base: "https://api.stripe.com",
    display_name: null,
    added_at: "2026-01-01T00:00:00Z",
    ...extra,
  };
}

const accounts: AccountsView = { current: "local", accounts: [profile("local", "local"), profile("sbx", "sandbox"), profile("prod", "live")] };

const pass = (check: CheckLine["check"], title: string): CheckLine => ({ check, status: "pass", title, detail: `${title} is fine`, fix: null });

function checklist(lines: CheckLine[], extra: Partial<InstallCheck> = {}): InstallCheck {
  return { app: "com.example.app", account: "local", kind: "local", redirect_uri: LOOPBACK_URI, lines, ok: lines.every((l) => l.status !== "fail"), ...extra };
}

const allPass = checklist([pass("key", "Key"), pass("account", "Account reachable"), pass("app-credentials", "App credentials"), pass("redirect-uri", "Redirect URI"), pass("release", "Upload and review")]);

const restrictedKey = checklist(
  [
    {
      check: "key",
      status: "fail",
      title: "Key",
      detail: "restricted key (rk_…), test mode",
      fix: "Stripe exchanges the code only with the account's secret key (sk_test_…)",
    },
    pass("account", "Account reachable"),
    { check: "already-installed", status: "warn", title: "Already installed", detail: "Appdeck holds install inst_1", fix: "uninstall the app first" },
  ],
  { account: "rk", kind: "test" },
);

const step = (kind: string, from: TimelineStep["from"], to: TimelineStep["to"]): TimelineStep => ({ at_ms: 1, duration_ms: null, from, to, kind, summary: kind, detail: {} });

/** The calls every render of the Install run panel makes, plus the test's own. */
function backendWith(calls: Partial<Backend>): Backend {
  return stubBackend({
    loadManifest: vi.fn<Backend["loadManifest"]>().mockResolvedValue(manifest),
    accountsList: vi.fn<Backend["accountsList"]>().mockResolvedValue(accounts),
    ...calls,
  });
}

const lines = () => screen.queryAllByTestId("check-line");

describe("the checklist before Run", () => {
  it("shows core's lines for the chosen account, redirect and mode, each with status, detail and fix, and refreshes", async () => {
    const user = userEvent.setup();
    const installCheck = vi.fn<Backend["installCheck"]>().mockResolvedValue(allPass);
    renderWithStub(<InstallRun manifestPath={PATH} />, backendWith({ installCheck }));
    await waitFor(() => expect(lines()).toHaveLength(5));
    expect(installCheck).toHaveBeenLastCalledWith({ account: undefined, redirect_uri: undefined, platform: false, via_backend: false });
    expect(screen.getByTestId("install-checklist")).toHaveAttribute("data-ok", "true");
    expect(screen.getByTestId("checklist-redirect")).toHaveTextContent(LOOPBACK_URI);

    installCheck.mockResolvedValue(restrictedKey);
    await user.selectOptions(screen.getByTestId("install-account"), "sbx");
    await user.selectOptions(screen.getByTestId("install-redirect"), BACKEND_URI);
    await waitFor(() => expect(installCheck).toHaveBeenLastCalledWith({ account: "sbx", redirect_uri: BACKEND_URI, platform: false, via_backend: false }));
    await waitFor(() => expect(screen.getByTestId("install-checklist")).toHaveAttribute("data-ok", "false"));
    const key = lines().find((l) => l.dataset.check === "key");
    expect(key).toHaveAttribute("data-status", "fail");
    expect(key).toHaveTextContent("restricted key (rk_…), test mode");
    expect(within(key as HTMLElement).getByTestId("check-fix")).toHaveTextContent("secret key (sk_test_…)");
    expect(lines().find((l) => l.dataset.check === "already-installed")).toHaveAttribute("data-status", "warn");

    const calls = installCheck.mock.calls.length;
    await user.click(screen.getByTestId("checklist-refresh"));
    await waitFor(() => expect(installCheck.mock.calls.length).toBe(calls + 1));
  });

  it("shows why the checklist could not run, with its code, and still lets core decide on Run", async () => {
    const user = userEvent.setup();
    const installCheck = vi.fn<Backend["installCheck"]>().mockRejectedValue(new AppError("account-not-found", "no account \"gone\""));
    const installStart = vi.fn<Backend["installStart"]>().mockRejectedValue(new AppError("restricted-key", "a restricted key can't exchange the code"));
    renderWithStub(<InstallRun manifestPath={PATH} />, backendWith({ installCheck, installStart }));
    const error = await screen.findByTestId("checklist-error");
    expect(error).toHaveAttribute("data-code", "account-not-found");
    expect(error).toHaveTextContent('no account "gone"');
    await user.click(screen.getByTestId("install-run"));
    await waitFor(() => expect(installStart).toHaveBeenCalledTimes(1));
  });

  it("offers the manifest's redirect URIs as written and core's default, never an ephemeral port", async () => {
    renderWithStub(<InstallRun manifestPath={PATH} />, backendWith({ installCheck: vi.fn<Backend["installCheck"]>().mockResolvedValue(allPass) }));
    const picker = await screen.findByTestId("install-redirect");
    await within(picker).findByText(BACKEND_URI);
    const options = within(picker).getAllByRole("option").map((o) => (o as HTMLOptionElement).value);
    expect(options).toEqual(["", LOOPBACK_URI, BACKEND_URI]);
    await waitFor(() => expect(within(picker).getAllByRole("option")[0]).toHaveTextContent(`Default of stripe-app.json (${LOOPBACK_URI})`));
    expect(picker.innerHTML).not.toMatch(/ephemeral/i);
  });

  it("shows the account kind in the picker (test, sandbox, LIVE, local)", async () => {
    renderWithStub(<InstallRun manifestPath={PATH} />, backendWith({ installCheck: vi.fn<Backend["installCheck"]>().mockResolvedValue(allPass) }));
    const picker = await screen.findByTestId("install-account");
    await within(picker).findByText("sbx — sandbox");
    expect(within(picker).getByText("prod — LIVE")).toHaveAttribute("data-kind", "live");
    expect(within(picker).getByText("Current account (local — local)")).toBeInTheDocument();
  });
});

describe("Run refuses", () => {
  it("when the checklist has a failing line: says which and why, and starts nothing", async () => {
    const user = userEvent.setup();
    const installStart = vi.fn<Backend["installStart"]>();
    renderWithStub(<InstallRun manifestPath={PATH} />, backendWith({ installCheck: vi.fn<Backend["installCheck"]>().mockResolvedValue(restrictedKey), installStart }));
    await waitFor(() => expect(screen.getByTestId("install-checklist")).toHaveAttribute("data-ok", "false"));
    await user.click(screen.getByTestId("install-run"));
    const blocked = await screen.findByTestId("install-blocked");
    expect(blocked).toHaveAttribute("data-code", "preflight-failed");
    expect(blocked).toHaveAttribute("data-checks", "key");
    expect(blocked).toHaveTextContent("secret key (sk_test_…)");
    expect(installStart, "no flow starts: nothing listens, nothing opens").not.toHaveBeenCalled();
    expect(screen.getByTestId("install-status")).toHaveAttribute("data-phase", "idle");
  });

  it.each([
    ["restricted-key", "secret key (sk_…)"],
    ["redirect-uri-not-uploadable", "fixed port"],
  ] as const)("shows core's %s refusal from install_start with what to do", async (code, advice) => {
    const user = userEvent.setup();
    const installStart = vi.fn<Backend["installStart"]>().mockRejectedValue(new AppError(code, `refused: ${code}`));
    renderWithStub(<InstallRun manifestPath={PATH} />, backendWith({ installCheck: vi.fn<Backend["installCheck"]>().mockResolvedValue(allPass), installStart }));
    await waitFor(() => expect(screen.getByTestId("install-checklist")).toHaveAttribute("data-ok", "true"));
    await user.click(screen.getByTestId("install-run"));
    const refusal = await screen.findByTestId("install-refusal");
    expect(refusal).toHaveAttribute("data-code", code);
    expect(refusal).toHaveTextContent(`refused: ${code}`);
    expect(refusal).toHaveTextContent(advice);
    expect(screen.getByTestId("install-status")).toHaveAttribute("data-code", code);
  });
});

describe("an install the app's backend completes", () => {
  function deferred<T>() {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  const started: InstallStart = { flow: "flow_b", authorize_url: "http://127.0.0.1:1/oauth/v2/authorize?state=s1", redirect_uri: BACKEND_URI, loopback: false, via_backend: true };

  it("checks and starts with via_backend, takes the landing URL as a second signal, and shows Stripe's confirmation", async () => {
    const user = userEvent.setup();
    const installCheck = vi.fn<Backend["installCheck"]>().mockResolvedValue({ ...allPass, redirect_uri: BACKEND_URI });
    let onStep: (s: TimelineStep) => void = () => undefined;
    const installStart = vi.fn<Backend["installStart"]>().mockImplementation((_options, step) => {
      onStep = step;
      return Promise.resolve(started);
    });
    const confirmation = deferred<BackendOutcome>();
    const installWaitBackend = vi.fn<Backend["installWaitBackend"]>().mockReturnValue(confirmation.promise);
    const installWait = vi.fn<Backend["installWait"]>();
    const installBackendLanded = vi.fn<Backend["installBackendLanded"]>().mockResolvedValue(undefined);
    renderWithStub(<InstallRun manifestPath={PATH} />, backendWith({ installCheck, installStart, installWaitBackend, installWait, installBackendLanded }));

    await user.click(await screen.findByTestId("install-via-backend"));
    await waitFor(() => expect(installCheck).toHaveBeenLastCalledWith({ account: undefined, redirect_uri: undefined, platform: false, via_backend: true }));
    await user.type(screen.getByTestId("install-into"), "acct_installer");
    await waitFor(() => expect(installCheck).toHaveBeenLastCalledWith({ account: undefined, redirect_uri: undefined, platform: false, via_backend: true, into: "acct_installer" }));
    await waitFor(() => expect(screen.getByTestId("install-checklist")).toHaveAttribute("data-ok", "true"));
    await user.click(screen.getByTestId("install-run"));
    await waitFor(() => expect(installWaitBackend).toHaveBeenCalledWith("flow_b"));
    expect(installStart.mock.calls[0]?.[0]).toMatchObject({ via_backend: true, into: "acct_installer", platform: false, timeout_secs: 300 });
    expect(installWait, "never the loopback wait").not.toHaveBeenCalled();
    expect(screen.getByTestId("install-status")).toHaveTextContent("Waiting for Stripe's event");
    expect(screen.getByTestId("install-backend-wait")).toHaveTextContent("account.application.authorized");
    expect(screen.queryByTestId("install-paste-url"), "no 'finish install' paste: the code is the backend's").not.toBeInTheDocument();

    act(() => onStep(step("authorize-url", "appdeck", "browser")));
    const landed = `${BACKEND_URI}?code=ac_123&state=s1`;
    await user.type(screen.getByTestId("install-landed-url"), landed);
    await user.click(screen.getByTestId("install-landed-submit"));
    await waitFor(() => expect(installBackendLanded).toHaveBeenCalledWith("flow_b", landed));
    expect(await screen.findByTestId("install-landed-sent")).toBeInTheDocument();
    act(() => onStep(step("landed", "browser", "backend")));
    await waitFor(() => expect(screen.getAllByTestId("timeline-step")).toHaveLength(2));
    expect(screen.getByTestId("install-status")).toHaveAttribute("data-phase", "running");

    const timeline = [step("authorize-url", "appdeck", "browser"), step("landed", "browser", "backend"), step("event", "stripe", "appdeck")];
    await act(async () => {
      confirmation.resolve({
        install: { app: "com.example.app", account: "local", mode: "local", stripe_account: "acct_installer", event: "evt_123", livemode: false, landed: true },
        timeline,
      });
      await confirmation.promise;
    });
    const outcome = await screen.findByTestId("install-backend-outcome");
    expect(outcome).toHaveAttribute("data-account", "acct_installer");
    expect(outcome).toHaveAttribute("data-event", "evt_123");
    expect(outcome).toHaveTextContent("Installed on acct_installer");
    expect(screen.getByTestId("install-status")).toHaveAttribute("data-phase", "succeeded");
    expect(screen.getAllByTestId("timeline-step").map((s) => s.dataset.kind)).toEqual(["authorize-url", "landed", "event"]);
  });

  it("cancels, and a timeout shows its code", async () => {
    const user = userEvent.setup();
    const confirmation = deferred<BackendOutcome>();
    const installCancel = vi.fn<Backend["installCancel"]>().mockImplementation(() => {
      confirmation.reject(new AppError("oauth-cancelled", "cancelled"));
      return Promise.resolve();
    });
    const backend = backendWith({
      installCheck: vi.fn<Backend["installCheck"]>().mockResolvedValue(allPass),
      installStart: vi.fn<Backend["installStart"]>().mockResolvedValue(started),
      installWaitBackend: vi.fn<Backend["installWaitBackend"]>().mockReturnValueOnce(confirmation.promise).mockRejectedValueOnce(new AppError("oauth-timeout", "no account.application.authorized event within 1 seconds")),
      installCancel,
    });
    renderWithStub(<InstallRun manifestPath={PATH} />, backend);
    await user.click(await screen.findByTestId("install-via-backend"));
    await waitFor(() => expect(screen.getByTestId("install-checklist")).toHaveAttribute("data-ok", "true"));
    await user.click(screen.getByTestId("install-run"));
    await user.click(await screen.findByTestId("install-cancel"));
    expect(installCancel).toHaveBeenCalledWith("flow_b");
    await waitFor(() => expect(screen.getByTestId("install-status")).toHaveAttribute("data-code", "oauth-cancelled"));

    const timeout = screen.getByTestId("install-timeout");
    await user.clear(timeout);
    await user.type(timeout, "1");
    await user.click(screen.getByTestId("install-run"));
    await waitFor(() => expect(screen.getByTestId("install-status")).toHaveAttribute("data-code", "oauth-timeout"));
    expect(screen.getByTestId("error")).toHaveTextContent("within 1 seconds");
  });
});

describe("installs list", () => {
  it("shows each install's account kind", async () => {
    const record = (install: string, account: string, extra: Partial<InstallRecord> = {}): InstallRecord => ({
      install,
      app: "com.example.app",
      account,
      mode: "test",
      stripe_user_id: "acct_x",
      livemode: false,
      scope: "stripe_apps",
      kind: "oauth",
      access_expires_at: null,
      status: "active",
      installed_at: "2026-01-01T00:00:00Z",
      refreshed_at: null,
      access_token_hint: "sk_test_…abcd",
      refresh_token_hint: "rt_…abcd",
      ...extra,
    });
    const installsList = vi.fn<Backend["installsList"]>().mockResolvedValue([record("inst_s", "sbx"), record("inst_l", "local", { mode: "local" })]);
    renderWithStub(<InstallsList />, backendWith({ installsList }));
    await waitFor(() => expect(screen.getAllByTestId("installs-row")).toHaveLength(2));
    const badge = (i: number) => within(screen.getAllByTestId("installs-row")[i] as HTMLElement).getByTestId("mode-badge");
    await waitFor(() => expect(badge(0)).toHaveAttribute("data-kind", "sandbox"));
    expect(badge(0)).toHaveTextContent("sandbox");
    expect(badge(1)).toHaveAttribute("data-kind", "local");
  });
});
