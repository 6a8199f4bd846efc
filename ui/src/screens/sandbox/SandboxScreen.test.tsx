import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX } from "../../api/fakeWorld";
import { renderWithBackend } from "../../test/render";
import { SandboxScreen } from "./SandboxScreen";

describe("SandboxScreen", () => {
  it("names the file the app was registered from, and the note when an extension manifest was opened", async () => {
    const note = "Registered com.example.demo-app from /p/stripe-app.json, the manifest /p/stripe-app.dev.json extends";
    renderWithBackend(<SandboxScreen />, { sandbox: { ...DEFAULT_SANDBOX, registered_from: "/p/stripe-app.json", message: note } });
    expect(await screen.findByTestId("sandbox-registered-from")).toHaveTextContent("/p/stripe-app.json");
    expect(screen.getByTestId("sandbox-note")).toHaveTextContent("stripe-app.dev.json extends");
  });

  it("says no file was registered when none was", async () => {
    renderWithBackend(<SandboxScreen />, { sandbox: { ...DEFAULT_SANDBOX, app_id: null, registered_from: null } });
    expect(await screen.findByText("no file")).toBeInTheDocument();
    expect(screen.queryByTestId("sandbox-registered-from")).not.toBeInTheDocument();
  });
});
