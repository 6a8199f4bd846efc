import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import { AppError } from "../../api/errors";
import type { AppCredentials } from "../../bindings/AppCredentials";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { AppCredentialsPanel } from "./AppCredentialsPanel";

const saved: AppCredentials = {
  app_id: "com.example.app",
  mode: "test",
  client_id: "ca_123",
  channel_link: "chnlink_456",
  has_signing_secret: true,
  marketplace_base: "https://marketplace.stripe.com",
};

describe("App credentials", () => {
  it("lists what is configured, without any secret", async () => {
    const appsList = vi.fn<Backend["appsList"]>().mockResolvedValue([saved]);
    renderWithStub(<AppCredentialsPanel />, stubBackend({ appsList }));
    const row = await screen.findByTestId("apps-row");
    expect(row.textContent).toContain("ca_123");
    expect(row.textContent).toContain("chnlink_456");
    expect(row.textContent).toContain("in the keychain");
  });

  it("saves through apps_set, clears the secret from the form, and shows core's refusal by its code", async () => {
    const appsList = vi.fn<Backend["appsList"]>().mockResolvedValue([]);
    const appsSet = vi
      .fn<Backend["appsSet"]>()
      .mockRejectedValueOnce(new AppError("invalid-input", "the client id starts with ca_"))
      .mockResolvedValueOnce(saved);
    renderWithStub(<AppCredentialsPanel appId="com.example.app" />, stubBackend({ appsList, appsSet }));
    await screen.findByText("No app credentials");
    fireEvent.change(screen.getByTestId("apps-client-id"), { target: { value: "nope" } });
    fireEvent.change(screen.getByTestId("apps-signing-secret"), { target: { value: "absec_secret_value" } });
    fireEvent.click(screen.getByTestId("apps-save"));
    await waitFor(() => expect(appsSet).toHaveBeenCalledWith("com.example.app", false, "nope", undefined, "absec_secret_value"));
    expect((screen.getByTestId("apps-signing-secret") as HTMLInputElement).value, "the secret leaves the form at once").toBe("");
    expect(await screen.findByText(/the client id starts with ca_/)).toBeTruthy();
    fireEvent.change(screen.getByTestId("apps-client-id"), { target: { value: "ca_123" } });
    fireEvent.change(screen.getByTestId("apps-channel-link"), { target: { value: "chnlink_456" } });
    fireEvent.click(screen.getByTestId("apps-save"));
    await waitFor(() => expect(appsSet).toHaveBeenLastCalledWith("com.example.app", false, "ca_123", "chnlink_456", undefined));
    expect(await screen.findByTestId("apps-saved")).toBeTruthy();
  });
});
