import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
class FakeChannel<T> {
  constructor(public onmessage: (m: T) => void) {}
}
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel: FakeChannel }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn() }));

const { TauriBackend } = await import("./tauri");
const { AppError } = await import("./errors");

describe("TauriBackend", () => {
  beforeEach(() => invoke.mockReset());

  it("passes camelCase arguments to the command", async () => {
    invoke.mockResolvedValue({ document: { path: "/p", text: "{}", revision: "r2" }, diagnostics: [] });
    await new TauriBackend().saveManifest("/p", "r1", "{}");
    expect(invoke).toHaveBeenCalledWith("save_manifest", { path: "/p", expectedRevision: "r1", text: "{}" });
  });

  it("turns an ErrorPayload rejection into an AppError with its code", async () => {
    invoke.mockImplementationOnce(() => Promise.reject({ code: "manifest-changed-on-disk", message: "changed" }));
    const err = await new TauriBackend().applyEditAndSave("/p", "r1", { kind: "revoke-permission", permission: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const appError = err as InstanceType<typeof AppError>;
    expect(appError.code).toBe("manifest-changed-on-disk");
    expect(appError.message).toBe("changed");
  });

  it("treats bare strings as internal errors and keeps codes the UI does not know yet", async () => {
    invoke.mockImplementationOnce(() => Promise.reject("command sandbox_status not found"));
    const bare = await new TauriBackend().sandboxStatus().catch((e: unknown) => e);
    expect(bare).toMatchObject({ code: "internal", message: "command sandbox_status not found" });

    invoke.mockImplementationOnce(() => Promise.reject({ code: "brand-new-code", message: "m" }));
    const unknown = await new TauriBackend().loadManifest("/p").catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: "brand-new-code", message: "m" });

    invoke.mockImplementationOnce(() => Promise.reject({ code: 42, message: "m" }));
    const malformed = await new TauriBackend().loadManifest("/p").catch((e: unknown) => e);
    expect(malformed).toMatchObject({ code: "internal" });
  });

  it("hands a Channel to install_start whose messages reach onStep", async () => {
    invoke.mockResolvedValue({ flow: "f1", authorizeUrl: "u", redirectUri: "r", loopback: true });
    const steps: unknown[] = [];
    await new TauriBackend().installStart({ platform: false, timeoutSecs: 30 }, (s) => steps.push(s));
    const [command, args] = invoke.mock.calls[0] as [string, Record<string, unknown>];
    expect(command).toBe("install_start");
    expect(args).toMatchObject({ platform: false, timeoutSecs: 30 });
    (args.onStep as FakeChannel<unknown>).onmessage({ kind: "listening" });
    expect(steps).toEqual([{ kind: "listening" }]);
  });

  it("sends accounts_add with camelCase optional arguments and the opener's command for links", async () => {
    invoke.mockResolvedValue(undefined);
    await new TauriBackend().accountsAdd("qa", "sk_test_x", undefined, true);
    expect(invoke).toHaveBeenCalledWith("accounts_add", { name: "qa", key: "sk_test_x", apiBase: undefined, skipCheck: true, sandbox: false });
    await new TauriBackend().accountsAdd("sbx", "sk_test_y", undefined, false, true);
    expect(invoke).toHaveBeenCalledWith("accounts_add", { name: "sbx", key: "sk_test_y", apiBase: undefined, skipCheck: false, sandbox: true });
    await new TauriBackend().openUrl("https://example.com/");
    expect(invoke).toHaveBeenCalledWith("plugin:opener|open_url", { url: "https://example.com/" });
  });

  it("sends the install checklist and backend install commands with camelCase arguments (docs/desktop-ipc.md)", async () => {
    invoke.mockResolvedValue(undefined);
    const backend = new TauriBackend();
    await backend.installCheck({ account: "qa", redirectUri: undefined, platform: false, viaBackend: true, into: "acct_1" });
    expect(invoke).toHaveBeenCalledWith("install_check", { account: "qa", redirectUri: undefined, platform: false, viaBackend: true, into: "acct_1" });
    await backend.installWaitBackend("flow_1");
    expect(invoke).toHaveBeenCalledWith("install_wait_backend", { flow: "flow_1" });
    await backend.installBackendLanded("flow_1", "https://backend.example.com/cb?code=ac_1&state=s");
    expect(invoke).toHaveBeenCalledWith("install_backend_landed", { flow: "flow_1", url: "https://backend.example.com/cb?code=ac_1&state=s" });
    invoke.mockResolvedValue({ flow: "f2", authorizeUrl: "u", redirectUri: "r", loopback: false, viaBackend: true });
    await backend.installStart({ platform: false, viaBackend: true, into: "sbx" }, () => undefined);
    expect(invoke.mock.calls.at(-1)?.[1]).toMatchObject({ viaBackend: true, platform: false, into: "sbx" });
    await backend.installStart({ platform: false }, () => undefined);
    expect(invoke.mock.calls.at(-1)?.[1], "a loopback flow unless asked").toMatchObject({ viaBackend: false });
  });

  it("sends the Secret Store's install, scope, name, payload and expiry, never a request (docs/desktop-ipc.md)", async () => {
    invoke.mockResolvedValue(undefined);
    const backend = new TauriBackend();
    const user = { type: "user", user: "usr_1" } as const;
    await backend.secretsSet("inst_1", user, "gh", "tok", 1_900_000_000);
    expect(invoke).toHaveBeenCalledWith("secrets_set", { install: "inst_1", scope: user, name: "gh", payload: "tok", expiresAt: 1_900_000_000 });
    await backend.secretsSet("inst_1", { type: "account" }, "gh", "tok");
    expect(invoke.mock.calls.at(-1)?.[1], "no expiry is null").toMatchObject({ expiresAt: null });
    await backend.secretsFind("inst_1", user, "gh");
    expect(invoke).toHaveBeenCalledWith("secrets_find", { install: "inst_1", scope: user, name: "gh" });
    await backend.secretsList("inst_1", user);
    expect(invoke).toHaveBeenCalledWith("secrets_list", { install: "inst_1", scope: user });
    await backend.secretsDelete("inst_1", user, "gh");
    expect(invoke).toHaveBeenCalledWith("secrets_delete", { install: "inst_1", scope: user, name: "gh" });
  });
});
