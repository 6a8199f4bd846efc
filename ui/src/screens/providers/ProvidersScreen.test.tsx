import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderWithBackend } from "../../test/render";
import { ProvidersScreen } from "./ProvidersScreen";

const PATH = "/p/stripe-app.json";
const MANIFEST = JSON.stringify({ id: "com.example.app", version: "1.0.0", name: "Orders" });

describe("providers", () => {
  it("adds a provider (secret cleared), logs in with PKCE and shows the run", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<ProvidersScreen manifestPath={PATH} />, { files: { [PATH]: MANIFEST }, stepMs: 1 });
    await user.type(await screen.findByTestId("provider-name"), "gh");
    await user.type(screen.getByTestId("provider-authorize-url"), "https://github.com/login/oauth/authorize");
    await user.type(screen.getByTestId("provider-token-url"), "https://github.com/login/oauth/access_token");
    await user.type(screen.getByTestId("provider-client-id"), "Iv1.abc");
    await user.type(screen.getByTestId("provider-client-secret"), "shh");
    await user.type(screen.getByTestId("provider-scopes"), "repo, read:user");
    await user.type(screen.getByTestId("provider-params"), "access_type=offline");
    await user.click(screen.getByTestId("provider-add"));
    expect(screen.getByTestId("provider-client-secret")).toHaveValue("");
    await screen.findByTestId("providers-row");
    expect(backend.callsOf("providers_add")[0]).toMatchObject({
      config: { name: "gh", scopes: ["repo", "read:user"], params: [["access_type", "offline"]] },
      clientSecret: "shh",
    });

    await user.click(screen.getByTestId("provider-login-gh"));
    await waitFor(() => expect(screen.getByTestId("provider-login-status")).toHaveAttribute("data-phase", "succeeded"));
    expect(screen.getByTestId("pkce-verifier")).toHaveTextContent("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    expect(screen.getByTestId("pkce-challenge")).toHaveTextContent("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    expect(screen.getAllByTestId("timeline-step").length).toBeGreaterThan(3);
  });

  it("shows the Dashboard redirect URLs for the manifest's app id", async () => {
    renderWithBackend(<ProvidersScreen manifestPath={PATH} />, { files: { [PATH]: MANIFEST } });
    const urls = await screen.findAllByTestId("dashboard-redirect-url");
    expect(urls.map((u) => u.textContent)).toEqual([
      expect.stringContaining("https://dashboard.stripe.com/test/apps-oauth/com.example.app"),
      expect.stringContaining("https://dashboard.stripe.com/apps-oauth/com.example.app"),
    ]);
  });
});
