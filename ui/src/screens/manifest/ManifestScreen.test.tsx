import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeRevision } from "../../api/fakeLogic";
import { editorView, renderWithBackend } from "../../test/render";
import { ManifestScreen } from "./ManifestScreen";

const PATH = "/proj/stripe-app.json";

// Non-ASCII before the problem: the core reports byte offsets, the editor counts UTF-16 units.
const WITH_PROBLEM = `{
  "id": "com.example.café",
  "version": "1.0.0",
  "name": "Café — orders",
  "permissions": [
    { "permission": "customers_read", "purpose": "Show orders" }
  ]
}
`;

const CLEAN = `{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Orders",
  "permissions": [
    { "permission": "customer_read", "purpose": "Show orders" }
  ]
}
`;

function renderScreen(text: string) {
  return renderWithBackend(<ManifestScreen path={PATH} onManagePermissions={() => undefined} />, { files: { [PATH]: text } });
}

/** Change the Name field through the form: the edit goes through preview_edit and dirties the buffer. */
async function renameTo(value: string) {
  const input = await screen.findByTestId("field-name");
  fireEvent.change(input, { target: { value } });
  fireEvent.keyDown(input, { key: "Enter" });
  await waitFor(() => expect(screen.getByTestId("buffer-state")).toHaveTextContent("Unsaved changes"));
}

describe("problems list", () => {
  it("shows each diagnostic with line:column, severity, code, message and suggestion", async () => {
    renderScreen(WITH_PROBLEM);
    const list = await screen.findByTestId("problems-list");
    const problems = within(list).getAllByTestId("problem");
    const unknown = problems.find((p) => p.dataset.code === "unknown-permission");
    expect(unknown, "the misspelled permission is reported").toBeDefined();
    const lineText = WITH_PROBLEM.split("\n")[5] ?? "";
    const column = lineText.indexOf('"customers_read"') + 1;
    expect(unknown).toHaveAttribute("data-line", "6");
    expect(unknown).toHaveAttribute("data-column", String(column));
    expect(unknown).toHaveTextContent(`6:${column}`);
    expect(unknown).toHaveTextContent("error");
    expect(unknown).toHaveTextContent("unknown-permission");
    expect(unknown).toHaveTextContent("is not a Stripe Apps permission");
    expect(unknown).toHaveTextContent("Suggestion: customer_read");
  });

  it("clicking a problem selects its range in the raw editor and focuses it", async () => {
    const { container } = renderScreen(WITH_PROBLEM);
    const list = await screen.findByTestId("problems-list");
    const unknown = within(list)
      .getAllByTestId("problem")
      .find((p) => p.dataset.code === "unknown-permission");
    await userEvent.click(within(unknown as HTMLElement).getByRole("button"));

    const view = editorView(container);
    const from = WITH_PROBLEM.indexOf('"customers_read"');
    expect(view.state.selection.main.from, "cursor at the problem (UTF-16 offset, not byte offset)").toBe(from);
    expect(view.state.selection.main.to).toBe(from + '"customers_read"'.length);
    expect(view.hasFocus, "the raw editor has focus").toBe(true);
  });

  it("says so when there are no problems", async () => {
    renderScreen(CLEAN);
    expect(await screen.findByTestId("problems-empty")).toBeInTheDocument();
    expect(screen.queryByTestId("problems-list")).not.toBeInTheDocument();
  });
});

describe("form edits", () => {
  it("go through preview_edit on the buffer and update the raw editor", async () => {
    const { backend, container } = renderScreen(CLEAN);
    await renameTo("Renamed");
    const calls = backend.callsOf("preview_edit");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.edit).toEqual({ kind: "set-name", value: "Renamed" });
    expect(calls[0]?.text).toBe(CLEAN);
    expect(editorView(container).state.doc.toString()).toContain('"name": "Renamed"');
    expect(backend.files.get(PATH), "nothing is written before Save").toBe(CLEAN);
  });

  it("show a refusal inline with its code", async () => {
    const { backend } = renderScreen(CLEAN);
    backend.failNext("preview_edit", { code: "edit-refused", message: "The name may not be empty." });
    const input = await screen.findByTestId("field-name");
    fireEvent.change(input, { target: { value: "" } });
    fireEvent.keyDown(input, { key: "Enter" });
    const section = screen.getByTestId("section-identity");
    const error = await within(section).findByTestId("error");
    expect(error).toHaveAttribute("data-code", "edit-refused");
    expect(error).toHaveTextContent("edit-refused");
    expect(error).toHaveTextContent("The name may not be empty.");
    expect(screen.getByTestId("buffer-state")).toHaveTextContent("Saved");
  });

  it("can be undone and redone", async () => {
    const { container } = renderScreen(CLEAN);
    await renameTo("Renamed");
    await userEvent.click(screen.getByTestId("undo"));
    expect(editorView(container).state.doc.toString()).toBe(CLEAN);
    expect(screen.getByTestId("buffer-state")).toHaveTextContent("Saved");
    await userEvent.click(screen.getByTestId("redo"));
    expect(editorView(container).state.doc.toString()).toContain('"name": "Renamed"');
  });

  it("Ctrl+Z and Ctrl+Shift+Z undo and redo buffer states outside text inputs", async () => {
    const { container } = renderScreen(CLEAN);
    await renameTo("Renamed");
    fireEvent.keyDown(document.body, { key: "z", ctrlKey: true });
    expect(editorView(container).state.doc.toString()).toBe(CLEAN);
    fireEvent.keyDown(document.body, { key: "Z", ctrlKey: true, shiftKey: true });
    expect(editorView(container).state.doc.toString()).toContain('"name": "Renamed"');
  });
});

describe("saving", () => {
  it("previews the diff and saves with the loaded revision on confirm", async () => {
    const { backend } = renderScreen(CLEAN);
    await renameTo("Renamed");
    await userEvent.click(screen.getByTestId("save"));
    const dialog = await screen.findByTestId("save-dialog");
    await within(dialog).findByText('"name": "Renamed",', { exact: false });
    await userEvent.click(within(dialog).getByTestId("confirm-save"));
    await waitFor(() => expect(screen.queryByTestId("save-dialog")).not.toBeInTheDocument());
    const saves = backend.callsOf("save_manifest");
    expect(saves).toHaveLength(1);
    expect(saves[0]?.expectedRevision).toBe(fakeRevision(CLEAN));
    expect(backend.files.get(PATH)).toContain('"name": "Renamed"');
    expect(screen.getByTestId("buffer-state")).toHaveTextContent("Saved");
  });

  it("Ctrl+S opens the save preview", async () => {
    renderScreen(CLEAN);
    await renameTo("Renamed");
    fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    expect(await screen.findByTestId("save-dialog")).toBeInTheDocument();
  });

  it("a save rejected with manifest-changed-on-disk shows the disk-changed banner", async () => {
    const { backend } = renderScreen(CLEAN);
    await renameTo("Renamed");
    backend.failNext("save_manifest", { code: "manifest-changed-on-disk", message: "changed" });
    await userEvent.click(screen.getByTestId("save"));
    const confirm = await screen.findByTestId("confirm-save");
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);
    expect(await screen.findByTestId("disk-changed-banner")).toBeInTheDocument();
  });
});

describe("changes on disk", () => {
  it("a dirty buffer gets the banner; Reload from disk takes the disk text", async () => {
    const { backend, container } = renderScreen(CLEAN);
    await renameTo("Mine");
    const outside = CLEAN.replace('"1.0.0"', '"2.0.0"');
    act(() => backend.writeExternally(PATH, outside));
    const banner = await screen.findByTestId("disk-changed-banner", {}, { timeout: 4000 });
    expect(editorView(container).state.doc.toString(), "unsaved edits are kept until the user decides").toContain('"Mine"');
    await userEvent.click(within(banner).getByTestId("reload-from-disk"));
    await waitFor(() => expect(screen.queryByTestId("disk-changed-banner")).not.toBeInTheDocument());
    expect(editorView(container).state.doc.toString()).toBe(outside);
    expect(screen.getByTestId("buffer-state")).toHaveTextContent("Saved");
  });

  it("Keep mine keeps the buffer and saves over the new disk revision", async () => {
    const { backend } = renderScreen(CLEAN);
    await renameTo("Mine");
    const outside = CLEAN.replace('"1.0.0"', '"2.0.0"');
    act(() => backend.writeExternally(PATH, outside));
    const banner = await screen.findByTestId("disk-changed-banner", {}, { timeout: 4000 });
    await userEvent.click(within(banner).getByTestId("keep-mine"));
    await waitFor(() => expect(screen.queryByTestId("disk-changed-banner")).not.toBeInTheDocument());
    expect(screen.getByTestId("buffer-state")).toHaveTextContent("Unsaved changes");
    await userEvent.click(screen.getByTestId("save"));
    const confirm = await screen.findByTestId("confirm-save");
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);
    await waitFor(() => expect(backend.files.get(PATH)).toContain('"Mine"'));
    expect(backend.callsOf("save_manifest").at(-1)?.expectedRevision).toBe(fakeRevision(outside));
  });

  it("a clean buffer reloads by itself and says so", async () => {
    const { backend, container } = renderScreen(CLEAN);
    await screen.findByTestId("problems-empty");
    const outside = CLEAN.replace('"Orders"', '"Orders 2"');
    act(() => backend.writeExternally(PATH, outside));
    await waitFor(() => expect(editorView(container).state.doc.toString()).toBe(outside), { timeout: 4000 });
    expect(screen.getByTestId("notice")).toHaveTextContent("changed on disk");
    expect(screen.queryByTestId("disk-changed-banner")).not.toBeInTheDocument();
  });
});

describe("errors", () => {
  it("a manifest that cannot be loaded shows the error code", async () => {
    renderWithBackend(<ManifestScreen path="/missing/stripe-app.json" onManagePermissions={() => undefined} />, { files: {} });
    const error = await screen.findByTestId("error");
    expect(error).toHaveAttribute("data-code", "manifest-unreadable");
    expect(error).toHaveTextContent("manifest-unreadable");
    expect(error).toHaveTextContent("no such file");
  });
});

describe("keyboard use of the form", () => {
  it("a committed field keeps focus and shows the buffer's value", async () => {
    renderScreen(CLEAN);
    const input = await screen.findByTestId("field-name");
    input.focus();
    fireEvent.change(input, { target: { value: "Kept focus" } });
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(screen.getByTestId("buffer-state")).toHaveTextContent("Unsaved changes"));
    expect(screen.getByTestId("field-name"), "same element, not remounted").toBe(input);
    expect(input).toHaveFocus();
    await userEvent.click(screen.getByTestId("undo"));
    expect(input).toHaveValue("Orders");
  });
});
