import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import { AppError } from "../../api/errors";
import type { ProviderConfig } from "../../bindings/ProviderConfig";
import type { ProviderLogin } from "../../bindings/ProviderLogin";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { ProvidersScreen } from "./ProvidersScreen";

const demo: ProviderConfig = {
  name: "demo",
  authorize_url: "http://127.0.0.1:9/authorize",
  token_url: "http://127.0.0.1:9/token",
  client_id: "client_1",
  scopes: [],
  params: [],
  has_client_secret: false,
  access_expires_at: null,
  logged_in_at: null,
  has_refresh_token: false,
};

describe("provider login", () => {
  it("offers Cancel while it waits for the browser, and cancels the login by the id it was started with", async () => {
    let reject: (e: AppError) => void = () => undefined;
    const providerLogin = vi.fn<Backend["providerLogin"]>(
      (_name, _timeout, _login, onStep) =>
        new Promise<ProviderLogin>((_, no) => {
          onStep({ from: "appdeck", to: "browser", kind: "authorize-url", summary: "open", detail: {}, at_ms: 0, duration_ms: null });
          reject = no;
        }),
    );
    const providerLoginCancel = vi.fn<Backend["providerLoginCancel"]>(async () => reject(new AppError("oauth-cancelled", "the login was cancelled")));
    const backend = stubBackend({
      providersList: vi.fn<Backend["providersList"]>().mockResolvedValue([demo]),
      dashboardRedirectUrls: vi.fn<Backend["dashboardRedirectUrls"]>().mockResolvedValue([]),
      loadManifest: vi.fn<Backend["loadManifest"]>().mockRejectedValue(new AppError("manifest-unreadable", "none")),
      providerLogin,
      providerLoginCancel,
    });
    renderWithStub(<ProvidersScreen manifestPath="" />, backend);

    fireEvent.click(await screen.findByTestId("provider-login-demo"));
    const cancel = await screen.findByTestId("provider-login-cancel");
    expect(screen.getByTestId("provider-login-status")).toHaveAttribute("data-phase", "running");
    fireEvent.click(cancel);

    const login = providerLogin.mock.calls[0]?.[2];
    expect(login, "the UI names the login").toMatch(/^login_/);
    await waitFor(() => expect(providerLoginCancel).toHaveBeenCalledWith(login));
    await waitFor(() => expect(screen.getByTestId("provider-login-status")).toHaveAttribute("data-phase", "failed"));
    expect(screen.getByTestId("provider-login-status")).toHaveTextContent("oauth-cancelled");
    expect(screen.queryByTestId("provider-login-cancel"), "nothing left to cancel").toBeNull();
  });
});
