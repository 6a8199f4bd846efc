import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "./App";
import type { Backend } from "./api/backend";
import { app as canned, appError, permissions } from "./test/canned";
import { appCalls } from "./test/appShell";
import { answering, renderWithStub, stubBackend } from "./test/stubBackend";

function renderApp(calls: Partial<Backend> = {}) {
  return renderWithStub(<App />, stubBackend(appCalls(calls)));
}

const noProject = () => ({ launchProject: vi.fn<Backend["launchProject"]>().mockResolvedValue(null) });

describe("app shell", () => {
  it("shows the launch project's path and the manifest screen", async () => {
    const loadManifest = vi.fn<Backend["loadManifest"]>().mockResolvedValue(canned.manifest);
    renderApp({ loadManifest });
    await waitFor(() => expect(screen.getByTestId("project-path")).toHaveTextContent(canned.project.manifest_path));
    expect(await screen.findByTestId("save")).toBeInTheDocument();
    expect(loadManifest).toHaveBeenCalledWith(canned.project.manifest_path);
  });

  it("reports ui_ready once, when the manifest is in its editor (or when there is no project to open)", async () => {
    const uiReady = vi.fn<Backend["uiReady"]>().mockResolvedValue(0);
    const loadManifest = vi.fn<Backend["loadManifest"]>().mockResolvedValue(canned.manifest);
    renderApp({ uiReady, loadManifest });
    await waitFor(() => expect(uiReady).toHaveBeenCalledTimes(1));
    expect(loadManifest).toHaveBeenCalled();
    expect(screen.getByTestId("save")).toBeInTheDocument();

    const none = vi.fn<Backend["uiReady"]>().mockResolvedValue(0);
    renderApp({ ...noProject(), uiReady: none });
    await waitFor(() => expect(none).toHaveBeenCalledTimes(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(uiReady).toHaveBeenCalledTimes(1);
  });

  it("offers to open a project when launched without one", async () => {
    renderApp(noProject());
    expect(await screen.findByText("No project open")).toBeInTheDocument();
    expect(screen.getByTestId("project-path")).toHaveTextContent("No project open");
  });

  it("opens the project core resolves from the dialog's folder and lists it in recent projects", async () => {
    const user = userEvent.setup();
    const openDialog = vi.fn<Backend["openDialog"]>().mockResolvedValue("/b");
    const openProject = vi.fn<Backend["openProject"]>().mockResolvedValue(canned.projectB);
    const recentProjects = vi.fn<Backend["recentProjects"]>().mockResolvedValue([]);
    renderApp({ openDialog, openProject, recentProjects });
    await user.click(await screen.findByTestId("open-menu"));
    recentProjects.mockResolvedValue(canned.recentAfterOpeningB);
    await user.click(screen.getByTestId("open-folder"));
    await waitFor(() => expect(screen.getByTestId("project-path")).toHaveTextContent(canned.projectB.manifest_path));
    expect(openDialog.mock.calls).toEqual([[{ directory: true }]]);
    expect(openProject.mock.calls).toEqual([["/b"]]);
    await user.click(screen.getByTestId("recent-menu"));
    expect(await screen.findByTestId("recent-item")).toHaveTextContent(canned.projectB.manifest_path);
  });

  it("shows an open failure with its code", async () => {
    const user = userEvent.setup();
    renderApp({
      openDialog: vi.fn<Backend["openDialog"]>().mockResolvedValue("/nowhere"),
      openProject: vi.fn<Backend["openProject"]>().mockRejectedValue(appError(canned.notFound)),
    });
    await user.click(await screen.findByTestId("open-menu"));
    await user.click(screen.getByTestId("open-folder"));
    const error = await screen.findByTestId("error");
    expect(error).toHaveAttribute("data-code", "project-not-found");
    expect(error).toHaveTextContent(canned.notFound.message);
  });

  it("the QA screen lists the project's flows; the sandbox status tolerates a missing command", async () => {
    const user = userEvent.setup();
    const qaFlows = vi.fn<Backend["qaFlows"]>().mockResolvedValue(canned.flows);
    renderApp({
      sandboxStatus: vi.fn<Backend["sandboxStatus"]>().mockRejectedValue(new Error("sandbox_status is not available in this build")),
      qaFlows,
      qaRecordStatus: vi.fn<Backend["qaRecordStatus"]>().mockResolvedValue({ recording: false, steps: 0 }),
    });
    await user.click(screen.getByTestId("nav-qa"));
    // The QA screen is its own chunk, then its flows load: wait for both.
    await waitFor(() => expect(screen.getByTestId("qa-flow-picker")).toHaveValue(canned.flows[0]?.path));
    expect(qaFlows).toHaveBeenCalledWith(canned.project.manifest_path);
    expect(await screen.findByTestId("sandbox-status")).toHaveTextContent("Sandbox: not available");
  });

  it("navigation is reachable with the keyboard", async () => {
    const user = userEvent.setup();
    renderApp({
      permissionCatalog: vi.fn<Backend["permissionCatalog"]>().mockResolvedValue(permissions.catalog),
      eventTypes: vi.fn<Backend["eventTypes"]>().mockResolvedValue(permissions.eventTypes),
    });
    await user.tab();
    expect(screen.getByTestId("nav-manifest")).toHaveFocus();
    await user.tab();
    expect(screen.getByTestId("nav-permissions")).toHaveFocus();
    await user.keyboard("{Enter}");
    const nav = screen.getByRole("navigation");
    expect(within(nav).getByTestId("nav-permissions")).toHaveAttribute("aria-current", "page");
    expect(await screen.findByTestId("permission-search")).toBeInTheDocument();
  });

  it("switches between the base manifest and the extension manifests core lists", async () => {
    const user = userEvent.setup();
    const [dev] = canned.projectWithDev.extensions;
    if (!dev) throw new Error("the canned project has no extension manifest");
    const states = [canned.manifest, canned.devManifest];
    renderApp({
      launchProject: vi.fn<Backend["launchProject"]>().mockResolvedValue(canned.projectWithDev),
      loadManifest: vi.fn<Backend["loadManifest"]>(answering(states.map((s) => [[s.document.path], s]))),
      diskRevision: vi.fn<Backend["diskRevision"]>(answering(states.map((s) => [[s.document.path], s.document.revision]))),
    });
    const select = await screen.findByTestId("manifest-file");
    await user.selectOptions(select, dev);
    await waitFor(() => expect(screen.getByTestId("field-name")).toHaveValue("Orders (dev)"));
    expect(screen.getByRole("heading", { name: "stripe-app.dev.json" })).toBeInTheDocument();
  });
});
