import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Backend, SandboxStatus } from "../../api/backend";
import { SANDBOX_RUNNING } from "../../test/appShell";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { SandboxScreen } from "./SandboxScreen";

function renderScreen(status: SandboxStatus) {
  renderWithStub(<SandboxScreen />, stubBackend({ sandboxStatus: vi.fn<Backend["sandboxStatus"]>().mockResolvedValue(status) }));
}

describe("SandboxScreen", () => {
  it("names the file the app was registered from, and the note when an extension manifest was opened", async () => {
    const note = "Registered com.example.app from /a/stripe-app.json, the manifest /a/stripe-app.dev.json extends";
    renderScreen({ ...SANDBOX_RUNNING, registered_from: "/a/stripe-app.json", message: note });
    expect(await screen.findByTestId("sandbox-registered-from")).toHaveTextContent("/a/stripe-app.json");
    expect(screen.getByTestId("sandbox-note")).toHaveTextContent("stripe-app.dev.json extends");
  });

  it("says no file was registered when none was", async () => {
    renderScreen({ ...SANDBOX_RUNNING, app_id: null, registered_from: null });
    expect(await screen.findByText("no file")).toBeInTheDocument();
    expect(screen.queryByTestId("sandbox-registered-from")).not.toBeInTheDocument();
  });
});
