import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import { app, providers as canned } from "../../test/canned";
import { SANDBOX_RUNNING } from "../../test/appShell";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { ProvidersScreen } from "./ProvidersScreen";

const PATH = app.manifest.document.path;

/** The screen for the canned project (its app id names the Dashboard URLs), plus the test's calls. */
function renderScreen(calls: Partial<Backend>) {
  const backend = stubBackend({
    loadManifest: vi.fn<Backend["loadManifest"]>().mockResolvedValue(app.manifest),
    sandboxStatus: vi.fn<Backend["sandboxStatus"]>().mockResolvedValue(SANDBOX_RUNNING),
    dashboardRedirectUrls: vi.fn<Backend["dashboardRedirectUrls"]>().mockResolvedValue(canned.dashboardRedirectUrls),
    ...calls,
  });
  return renderWithStub(<ProvidersScreen manifestPath={PATH} />, backend);
}

describe("providers", () => {
  it("adds a provider as typed, sends its client secret once and clears it", async () => {
    const user = userEvent.setup();
    const providersList = vi.fn<Backend["providersList"]>().mockResolvedValueOnce([]).mockResolvedValue(canned.listed);
    const providersAdd = vi.fn<Backend["providersAdd"]>().mockResolvedValue(canned.added);
    renderScreen({ providersList, providersAdd });
    await user.type(await screen.findByTestId("provider-name"), "gh");
    await user.type(screen.getByTestId("provider-authorize-url"), canned.added.authorize_url);
    await user.type(screen.getByTestId("provider-token-url"), canned.added.token_url);
    await user.type(screen.getByTestId("provider-client-id"), canned.added.client_id);
    await user.type(screen.getByTestId("provider-client-secret"), "shh");
    await user.type(screen.getByTestId("provider-scopes"), "repo, read:user");
    await user.type(screen.getByTestId("provider-params"), "access_type=offline");
    await user.click(screen.getByTestId("provider-add"));
    expect(screen.getByTestId("provider-client-secret")).toHaveValue("");
    await screen.findByTestId("providers-row");
    expect(providersAdd).toHaveBeenCalledTimes(1);
    const [config, secret] = providersAdd.mock.calls[0] ?? [];
    expect(config).toMatchObject({
      name: "gh",
      authorize_url: canned.added.authorize_url,
      token_url: canned.added.token_url,
      client_id: canned.added.client_id,
      scopes: ["repo", "read:user"],
      params: [["access_type", "offline"]],
    });
    expect(secret).toBe("shh");
  });

  it("logs in with PKCE, draws each step as core streams it, and shows the run", async () => {
    const user = userEvent.setup();
    const providerLogin = vi.fn<Backend["providerLogin"]>(async (_name, _timeout, _login, onStep) => {
      for (const step of canned.loginSteps) onStep(step);
      return canned.login;
    });
    renderScreen({ providersList: vi.fn<Backend["providersList"]>().mockResolvedValue(canned.listedWithPublic), providerLogin });
    await user.click(await screen.findByTestId("provider-login-files"));
    await waitFor(() => expect(screen.getByTestId("provider-login-status")).toHaveAttribute("data-phase", "succeeded"));
    expect(providerLogin.mock.calls[0]?.[0]).toBe("files");
    expect(screen.getByTestId("pkce-verifier")).toHaveTextContent(canned.login.pkce.code_verifier);
    expect(screen.getByTestId("pkce-challenge")).toHaveTextContent(canned.login.pkce.code_challenge);
    expect(screen.getAllByTestId("timeline-step")).toHaveLength(canned.login.timeline.length);
  });

  it("shows core's Dashboard redirect URLs for the manifest's app id", async () => {
    const dashboardRedirectUrls = vi.fn<Backend["dashboardRedirectUrls"]>().mockResolvedValue(canned.dashboardRedirectUrls);
    renderScreen({ providersList: vi.fn<Backend["providersList"]>().mockResolvedValue([]), dashboardRedirectUrls });
    const urls = await screen.findAllByTestId("dashboard-redirect-url");
    expect(urls.map((u) => u.textContent)).toEqual(canned.dashboardRedirectUrls.map((u) => expect.stringContaining(u)));
    expect(dashboardRedirectUrls).toHaveBeenCalledWith("com.example.app");
  });
});
