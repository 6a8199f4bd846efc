import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
class FakeChannel<T> {
  constructor(public onmessage: (m: T) => void) {}
}
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel: FakeChannel }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn() }));

const { tauriBackend } = await import("./tauri");
const { AppError } = await import("./errors");
const { COMMAND_NAMES } = await import("../bindings/commands");

describe("tauriBackend", () => {
  beforeEach(() => invoke.mockReset());

  it("has a method per command of the shell's table, named in camelCase", () => {
    const backend = tauriBackend() as unknown as Record<string, unknown>;
    for (const name of COMMAND_NAMES) {
      const method = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      expect(typeof backend[method], name).toBe("function");
    }
  });

  it("passes arguments in snake_case, like core's types", async () => {
    invoke.mockResolvedValue({ document: { path: "/p", text: "{}", revision: "r2" }, diagnostics: [] });
    await tauriBackend().saveManifest("/p", "r1", "{}");
    expect(invoke).toHaveBeenCalledWith("save_manifest", { path: "/p", expected_revision: "r1", text: "{}" });
  });

  it("turns an ErrorPayload rejection into an AppError with its code", async () => {
    invoke.mockImplementationOnce(() => Promise.reject({ code: "manifest-changed-on-disk", message: "changed" }));
    const err = await tauriBackend()
      .applyEditAndSave("/p", "r1", { kind: "revoke-permission", permission: "x" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const appError = err as InstanceType<typeof AppError>;
    expect(appError.code).toBe("manifest-changed-on-disk");
    expect(appError.message).toBe("changed");
  });

  it("treats bare strings as internal errors and keeps codes the UI does not know yet", async () => {
    invoke.mockImplementationOnce(() => Promise.reject("command sandbox_status not found"));
    const bare = await tauriBackend().sandboxStatus().catch((e: unknown) => e);
    expect(bare).toMatchObject({ code: "internal", message: "command sandbox_status not found" });

    invoke.mockImplementationOnce(() => Promise.reject({ code: "brand-new-code", message: "m" }));
    const unknown = await tauriBackend().loadManifest("/p").catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: "brand-new-code", message: "m" });

    invoke.mockImplementationOnce(() => Promise.reject({ code: 42, message: "m" }));
    const malformed = await tauriBackend().loadManifest("/p").catch((e: unknown) => e);
    expect(malformed).toMatchObject({ code: "internal" });
  });

  it("hands a Channel to install_start whose messages reach the callback", async () => {
    invoke.mockResolvedValue({ flow: "f1", authorize_url: "u", redirect_uri: "r", loopback: true, via_backend: false });
    const steps: unknown[] = [];
    await tauriBackend().installStart({ platform: false, timeout_secs: 30 }, (s) => steps.push(s));
    const [command, args] = invoke.mock.calls[0] as [string, Record<string, unknown>];
    expect(command).toBe("install_start");
    expect(args.options).toEqual({ platform: false, timeout_secs: 30 });
    (args.on_step as FakeChannel<unknown>).onmessage({ kind: "listening" });
    expect(steps).toEqual([{ kind: "listening" }]);
  });

  it("leaves out optional arguments the caller leaves out, and opens links with the opener's command", async () => {
    invoke.mockResolvedValue(undefined);
    await tauriBackend().accountsAdd("qa", "sk_test_x", undefined, true);
    expect(invoke).toHaveBeenCalledWith("accounts_add", { name: "qa", key: "sk_test_x", api_base: undefined, skip_check: true, sandbox: undefined });
    await tauriBackend().accountsAdd("sbx", "sk_test_y", undefined, false, true);
    expect(invoke).toHaveBeenCalledWith("accounts_add", { name: "sbx", key: "sk_test_y", api_base: undefined, skip_check: false, sandbox: true });
    await tauriBackend().openUrl("https://example.com/");
    expect(invoke).toHaveBeenCalledWith("plugin:opener|open_url", { url: "https://example.com/" });
  });

  it("sends a provider login under the UI's id, and its cancel", async () => {
    invoke.mockResolvedValue(undefined);
    const backend = tauriBackend();
    await backend.providerLogin("demo", undefined, "login_1", () => undefined);
    const [command, args] = invoke.mock.calls[0] as [string, Record<string, unknown>];
    expect(command).toBe("provider_login");
    expect(args).toMatchObject({ name: "demo", login: "login_1" });
    expect(args.on_step).toBeInstanceOf(FakeChannel);
    await backend.providerLoginCancel("login_1");
    expect(invoke).toHaveBeenLastCalledWith("provider_login_cancel", { login: "login_1" });
  });
});
