import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import type { ManifestState } from "../../bindings/ManifestState";
import { appError, manifest as canned, present } from "../../test/canned";
import { editorView } from "../../test/editorView";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { ManifestScreen } from "./ManifestScreen";

const PATH = canned.clean.document.path;
const CLEAN = canned.clean.document.text;

/** The calls the screen makes for a manifest on disk: its state, and the revision it polls. */
function onDisk(state: ManifestState, calls: Partial<Backend> = {}) {
  const loadManifest = vi.fn<Backend["loadManifest"]>().mockResolvedValue(state);
  const diskRevision = vi.fn<Backend["diskRevision"]>().mockResolvedValue(state.document.revision);
  const backend = stubBackend({ loadManifest, diskRevision, ...calls });
  return { backend, loadManifest, diskRevision };
}

function renderScreen(state: ManifestState, calls: Partial<Backend> = {}) {
  const disk = onDisk(state, calls);
  const rendered = renderWithStub(<ManifestScreen path={state.document.path} onManagePermissions={() => undefined} />, disk.backend);
  return { ...rendered, ...disk };
}

/** A file another program rewrote: the polled revision moves, and loading reads the new state. */
function changeOnDisk(disk: ReturnType<typeof onDisk>, state: ManifestState) {
  disk.loadManifest.mockResolvedValue(state);
  disk.diskRevision.mockResolvedValue(state.document.revision);
}

/** Change the Name field through the form: the edit goes through preview_edit and dirties the buffer. */
async function renameTo(value: string) {
  const input = await screen.findByTestId("field-name");
  fireEvent.change(input, { target: { value } });
  fireEvent.keyDown(input, { key: "Enter" });
  await waitFor(() => expect(screen.getByTestId("buffer-state")).toHaveTextContent("Unsaved changes"));
}

const preview = (outcome = canned.renamed) => vi.fn<Backend["previewEdit"]>().mockResolvedValue(outcome);

describe("problems list", () => {
  const unknown = canned.problem.diagnostics.find((d) => d.code === "unknown-permission");
  if (!unknown) throw new Error("the canned manifest with a problem has no unknown-permission diagnostic");

  it("shows each of core's diagnostics with line:column, severity, code, message and suggestion", async () => {
    renderScreen(canned.problem);
    const list = await screen.findByTestId("problems-list");
    const problems = within(list).getAllByTestId("problem");
    expect(problems).toHaveLength(canned.problem.diagnostics.length);
    const row = problems.find((p) => p.dataset.code === "unknown-permission");
    expect(row).toHaveAttribute("data-line", String(unknown.line));
    expect(row).toHaveAttribute("data-column", String(unknown.column));
    expect(row).toHaveTextContent(`${unknown.line}:${unknown.column}`);
    expect(row).toHaveTextContent(unknown.severity);
    expect(row).toHaveTextContent(unknown.message);
    expect(row).toHaveTextContent(`Suggestion: ${unknown.suggestion ?? ""}`);
  });

  it("clicking a problem selects its range in the raw editor (byte offsets as UTF-16) and focuses it", async () => {
    const { container } = renderScreen(canned.problem);
    const list = await screen.findByTestId("problems-list");
    const row = within(list)
      .getAllByTestId("problem")
      .find((p) => p.dataset.code === "unknown-permission");
    await userEvent.click(within(row as HTMLElement).getByRole("button"));

    const text = canned.problem.document.text;
    const from = text.indexOf('"customers_read"');
    expect(unknown.start, "core counts bytes: the non-ASCII text before it makes them differ").not.toBe(from);
    const view = editorView(container);
    expect(view.state.selection.main.from, "cursor at the problem (UTF-16 offset, not byte offset)").toBe(from);
    expect(view.state.selection.main.to).toBe(from + '"customers_read"'.length);
    expect(view.hasFocus, "the raw editor has focus").toBe(true);
  });

  it("shows a missing field by core's code, missing-field, with core's message", async () => {
    const [missing] = canned.missingName.diagnostics;
    renderScreen(canned.missingName);
    const row = within(await screen.findByTestId("problems-list")).getByTestId("problem");
    expect(row).toHaveAttribute("data-code", "missing-field");
    expect(row).toHaveTextContent(present(missing?.message, "message"));
  });

  it("says so when there are no problems", async () => {
    renderScreen(canned.clean);
    expect(await screen.findByTestId("problems-empty")).toBeInTheDocument();
    expect(screen.queryByTestId("problems-list")).not.toBeInTheDocument();
  });
});

describe("form edits", () => {
  it("go through preview_edit on the buffer and show core's text in the raw editor", async () => {
    const previewEdit = preview();
    const saveManifest = vi.fn<Backend["saveManifest"]>();
    const { container } = renderScreen(canned.clean, { previewEdit, saveManifest });
    await renameTo("Renamed");
    expect(previewEdit.mock.calls).toEqual([[PATH, CLEAN, { kind: "set-name", value: "Renamed" }]]);
    expect(editorView(container).state.doc.toString()).toBe(canned.renamed.text);
    expect(saveManifest, "nothing is written before Save").not.toHaveBeenCalled();
  });

  it("show a refusal inline with its code", async () => {
    renderScreen(canned.clean, { previewEdit: vi.fn<Backend["previewEdit"]>().mockRejectedValue(appError(canned.emptyNameRefused)) });
    const input = await screen.findByTestId("field-name");
    fireEvent.change(input, { target: { value: "" } });
    fireEvent.keyDown(input, { key: "Enter" });
    const section = screen.getByTestId("section-identity");
    const error = await within(section).findByTestId("error");
    expect(error).toHaveAttribute("data-code", "edit-refused");
    expect(error).toHaveTextContent("edit-refused");
    expect(error).toHaveTextContent(canned.emptyNameRefused.message);
    expect(screen.getByTestId("buffer-state")).toHaveTextContent("Saved");
  });

  it("can be undone and redone", async () => {
    const { container } = renderScreen(canned.clean, { previewEdit: preview() });
    await renameTo("Renamed");
    await userEvent.click(screen.getByTestId("undo"));
    expect(editorView(container).state.doc.toString()).toBe(CLEAN);
    expect(screen.getByTestId("buffer-state")).toHaveTextContent("Saved");
    await userEvent.click(screen.getByTestId("redo"));
    expect(editorView(container).state.doc.toString()).toBe(canned.renamed.text);
  });

  it("Ctrl+Z and Ctrl+Shift+Z undo and redo buffer states outside text inputs", async () => {
    const { container } = renderScreen(canned.clean, { previewEdit: preview() });
    await renameTo("Renamed");
    fireEvent.keyDown(document.body, { key: "z", ctrlKey: true });
    expect(editorView(container).state.doc.toString()).toBe(CLEAN);
    fireEvent.keyDown(document.body, { key: "Z", ctrlKey: true, shiftKey: true });
    expect(editorView(container).state.doc.toString()).toBe(canned.renamed.text);
  });
});

describe("saving", () => {
  it("previews core's diff and saves the buffer at the loaded revision on confirm", async () => {
    const saveManifest = vi.fn<Backend["saveManifest"]>().mockResolvedValue(canned.savedRenamed);
    const diffTexts = vi.fn<Backend["diffTexts"]>().mockResolvedValue(canned.saveDiff);
    renderScreen(canned.clean, { previewEdit: preview(), saveManifest, diffTexts });
    await renameTo("Renamed");
    await userEvent.click(screen.getByTestId("save"));
    const dialog = await screen.findByTestId("save-dialog");
    await within(dialog).findByText('"name": "Renamed",', { exact: false });
    expect(diffTexts).toHaveBeenCalledWith(CLEAN, canned.renamed.text);
    await userEvent.click(within(dialog).getByTestId("confirm-save"));
    await waitFor(() => expect(screen.queryByTestId("save-dialog")).not.toBeInTheDocument());
    expect(saveManifest.mock.calls).toEqual([[PATH, canned.clean.document.revision, canned.renamed.text]]);
    expect(screen.getByTestId("buffer-state")).toHaveTextContent("Saved");
  });

  it("Ctrl+S opens the save preview", async () => {
    renderScreen(canned.clean, { previewEdit: preview(), diffTexts: vi.fn<Backend["diffTexts"]>().mockResolvedValue(canned.saveDiff) });
    await renameTo("Renamed");
    fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    expect(await screen.findByTestId("save-dialog")).toBeInTheDocument();
  });

  it("a save rejected with manifest-changed-on-disk shows the disk-changed banner", async () => {
    renderScreen(canned.clean, {
      previewEdit: preview(),
      diffTexts: vi.fn<Backend["diffTexts"]>().mockResolvedValue(canned.saveDiff),
      saveManifest: vi.fn<Backend["saveManifest"]>().mockRejectedValue(appError(canned.saveChangedOnDisk)),
    });
    await renameTo("Renamed");
    await userEvent.click(screen.getByTestId("save"));
    const confirm = await screen.findByTestId("confirm-save");
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);
    expect(await screen.findByTestId("disk-changed-banner")).toBeInTheDocument();
  });
});

describe("changes on disk", () => {
  it("a dirty buffer gets the banner; Reload from disk takes the disk text", async () => {
    const rendered = renderScreen(canned.clean, { previewEdit: preview(canned.mine) });
    await renameTo("Mine");
    changeOnDisk(rendered, canned.outsideVersion);
    const banner = await screen.findByTestId("disk-changed-banner", {}, { timeout: 4000 });
    expect(editorView(rendered.container).state.doc.toString(), "unsaved edits are kept until the user decides").toBe(canned.mine.text);
    await userEvent.click(within(banner).getByTestId("reload-from-disk"));
    await waitFor(() => expect(screen.queryByTestId("disk-changed-banner")).not.toBeInTheDocument());
    expect(editorView(rendered.container).state.doc.toString()).toBe(canned.outsideVersion.document.text);
    expect(screen.getByTestId("buffer-state")).toHaveTextContent("Saved");
  });

  it("Keep mine keeps the buffer and saves it over the new disk revision", async () => {
    const saveManifest = vi.fn<Backend["saveManifest"]>().mockResolvedValue(canned.savedMineOverOutside);
    const rendered = renderScreen(canned.clean, {
      previewEdit: preview(canned.mine),
      saveManifest,
      diffTexts: vi.fn<Backend["diffTexts"]>().mockResolvedValue(canned.saveDiffOverOutside),
    });
    await renameTo("Mine");
    changeOnDisk(rendered, canned.outsideVersion);
    const banner = await screen.findByTestId("disk-changed-banner", {}, { timeout: 4000 });
    await userEvent.click(within(banner).getByTestId("keep-mine"));
    await waitFor(() => expect(screen.queryByTestId("disk-changed-banner")).not.toBeInTheDocument());
    expect(screen.getByTestId("buffer-state")).toHaveTextContent("Unsaved changes");
    await userEvent.click(screen.getByTestId("save"));
    const confirm = await screen.findByTestId("confirm-save");
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);
    await waitFor(() => expect(saveManifest).toHaveBeenCalledTimes(1));
    expect(saveManifest).toHaveBeenCalledWith(PATH, canned.outsideVersion.document.revision, canned.mine.text);
    await waitFor(() => expect(screen.getByTestId("buffer-state")).toHaveTextContent("Saved"));
  });

  it("a clean buffer reloads by itself and says so", async () => {
    const rendered = renderScreen(canned.clean);
    await screen.findByTestId("problems-empty");
    changeOnDisk(rendered, canned.outsideName);
    await waitFor(() => expect(editorView(rendered.container).state.doc.toString()).toBe(canned.outsideName.document.text), { timeout: 4000 });
    expect(screen.getByTestId("notice")).toHaveTextContent("changed on disk");
    expect(screen.queryByTestId("disk-changed-banner")).not.toBeInTheDocument();
  });
});

describe("errors", () => {
  it("a manifest that cannot be loaded shows core's error with its code", async () => {
    const loadManifest = vi.fn<Backend["loadManifest"]>().mockRejectedValue(appError(canned.missing));
    renderWithStub(<ManifestScreen path="/proj/missing/stripe-app.json" onManagePermissions={() => undefined} />, stubBackend({ loadManifest }));
    const error = await screen.findByTestId("error");
    expect(error).toHaveAttribute("data-code", "manifest-unreadable");
    expect(error).toHaveTextContent("manifest-unreadable");
    expect(error).toHaveTextContent(canned.missing.message);
    expect(loadManifest).toHaveBeenCalledWith("/proj/missing/stripe-app.json");
  });
});

describe("keyboard use of the form", () => {
  it("a committed field keeps focus and shows the buffer's value", async () => {
    renderScreen(canned.clean, { previewEdit: preview(canned.keptFocus) });
    const input = await screen.findByTestId("field-name");
    input.focus();
    fireEvent.change(input, { target: { value: "Kept focus" } });
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(screen.getByTestId("buffer-state")).toHaveTextContent("Unsaved changes"));
    expect(screen.getByTestId("field-name"), "same element, not remounted").toBe(input);
    expect(input).toHaveFocus();
    expect(input).toHaveValue("Kept focus");
    await userEvent.click(screen.getByTestId("undo"));
    expect(input).toHaveValue("Orders");
  });
});
