import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
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
});
