import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import { FakeBackend } from "./api/fake";
import { renderWithBackend } from "./test/render";

const TEXT = '{\n  "id": "com.example.app",\n  "version": "1.0.0",\n  "name": "Orders"\n}\n';

describe("app shell", () => {
  it("shows the launch project's path and the manifest screen", async () => {
    renderWithBackend(<App />, { files: { "/a/stripe-app.json": TEXT } });
    await waitFor(() => expect(screen.getByTestId("project-path")).toHaveTextContent("/a/stripe-app.json"));
    expect(await screen.findByTestId("save")).toBeInTheDocument();
  });

  it("reports ui_ready once, when the manifest is in its editor (or when there is no project to open)", async () => {
    const { backend } = renderWithBackend(<App />, { files: { "/a/stripe-app.json": TEXT } });
    await waitFor(() => expect(backend.callsOf("ui_ready")).toHaveLength(1));
    expect(backend.callsOf("load_manifest").length).toBeGreaterThan(0);
    expect(screen.getByTestId("save")).toBeInTheDocument();

    const none = renderWithBackend(<App />, { files: {}, launchPath: null });
    await waitFor(() => expect(none.backend.callsOf("ui_ready")).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.callsOf("ui_ready")).toHaveLength(1);
  });

  it("offers to open a project when launched without one", async () => {
    renderWithBackend(<App />, { files: {}, launchPath: null });
    expect(await screen.findByText("No project open")).toBeInTheDocument();
    expect(screen.getByTestId("project-path")).toHaveTextContent("No project open");
  });

  it("opens a project from the dialog and lists it in recent projects", async () => {
    const user = userEvent.setup();
    const backend = new FakeBackend({ files: { "/a/stripe-app.json": TEXT, "/b/stripe-app.json": TEXT }, dialogResult: "/b" });
    renderWithBackend(<App />, backend);
    await user.click(await screen.findByTestId("open-menu"));
    await user.click(screen.getByTestId("open-folder"));
    await waitFor(() => expect(screen.getByTestId("project-path")).toHaveTextContent("/b/stripe-app.json"));
    expect(backend.callsOf("open_dialog")[0]).toEqual({ directory: true });
    await user.click(screen.getByTestId("recent-menu"));
    expect(await screen.findByTestId("recent-item")).toHaveTextContent("/b/stripe-app.json");
  });

  it("shows an open failure with its code", async () => {
    const user = userEvent.setup();
    renderWithBackend(<App />, { files: { "/a/stripe-app.json": TEXT }, dialogResult: "/nowhere" });
    await user.click(await screen.findByTestId("open-menu"));
    await user.click(screen.getByTestId("open-folder"));
    const error = await screen.findByTestId("error");
    expect(error).toHaveAttribute("data-code", "project-not-found");
  });

  it("the QA screen lists the project's flows; the sandbox status tolerates a missing command", async () => {
    const user = userEvent.setup();
    renderWithBackend(<App />, { files: { "/a/stripe-app.json": TEXT }, sandbox: null, qaFlows: [{ path: "/a/flows/smoke.yaml", name: "smoke", steps: ["install"] }] });
    await user.click(screen.getByTestId("nav-qa"));
    // The QA screen is its own chunk, then its flows load: wait for both.
    await waitFor(() => expect(screen.getByTestId("qa-flow-picker")).toHaveValue("/a/flows/smoke.yaml"));
    expect(await screen.findByTestId("sandbox-status")).toHaveTextContent("Sandbox: not available");
  });

  it("navigation is reachable with the keyboard", async () => {
    const user = userEvent.setup();
    renderWithBackend(<App />, { files: { "/a/stripe-app.json": TEXT } });
    await user.tab();
    expect(screen.getByTestId("nav-manifest")).toHaveFocus();
    await user.tab();
    expect(screen.getByTestId("nav-permissions")).toHaveFocus();
    await user.keyboard("{Enter}");
    const nav = screen.getByRole("navigation");
    expect(within(nav).getByTestId("nav-permissions")).toHaveAttribute("aria-current", "page");
    expect(await screen.findByTestId("permission-search")).toBeInTheDocument();
  });

  it("switches between the base manifest and its extension manifests", async () => {
    const user = userEvent.setup();
    const dev = '{\n  "extends": "stripe-app.json",\n  "name": "Orders (dev)"\n}\n';
    renderWithBackend(<App />, { files: { "/a/stripe-app.json": TEXT, "/a/stripe-app.dev.json": dev }, launchPath: "/a/stripe-app.json" });
    const select = await screen.findByTestId("manifest-file");
    await user.selectOptions(select, "/a/stripe-app.dev.json");
    await waitFor(() => expect(screen.getByTestId("field-name")).toHaveValue("Orders (dev)"));
    expect(screen.getByRole("heading", { name: "stripe-app.dev.json" })).toBeInTheDocument();
  });
});
