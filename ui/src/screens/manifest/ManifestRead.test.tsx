import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import type { ManifestRead } from "../../bindings/ManifestRead";
import type { ManifestState } from "../../bindings/ManifestState";
import { manifest as canned, permissions as cannedPermissions } from "../../test/canned";
import { editorView } from "../../test/editorView";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { PermissionsScreen } from "../permissions/PermissionsScreen";
import { ManifestScreen } from "./ManifestScreen";

/**
 * The form and the lists show core's read of the manifest (`ManifestRead`, carried by
 * `load_manifest`, `validate_manifest_text` and `preview_edit`): a view, or core's reason when
 * there is none. The UI reads no manifest text itself.
 */
function viewOf(read: ManifestRead) {
  if (read.kind !== "view") throw new Error(`the canned read has no view: ${read.reason}`);
  return read.view;
}

function reasonOf(read: ManifestRead) {
  if (read.kind !== "unreadable") throw new Error("the canned read has a view");
  return read.reason;
}

function onDisk(state: ManifestState, calls: Partial<Backend> = {}) {
  return stubBackend({
    loadManifest: () => Promise.resolve(state),
    diskRevision: () => Promise.resolve(state.document.revision),
    ...calls,
  });
}

describe("the Manifest screen's form", () => {
  it("shows core's view of the loaded file, then of the buffer as core checks it; undo shows the earlier view at once", async () => {
    const loaded = viewOf(canned.clean.read);
    const typed = viewOf(canned.typedCheck.read);
    expect(typed.name, "the canned check reads another name").not.toBe(loaded.name);
    const validateManifestText = vi.fn<Backend["validateManifestText"]>().mockResolvedValue(canned.typedCheck);
    const path = canned.clean.document.path;
    const { container } = renderWithStub(
      <ManifestScreen path={path} onManagePermissions={() => undefined} />,
      onDisk(canned.clean, { validateManifestText }),
    );
    expect(await screen.findByTestId("field-name")).toHaveValue(loaded.name);
    expect(screen.getByTestId("field-distribution"), "core's default").toHaveValue(loaded.distribution_type);

    const view = editorView(container);
    act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: canned.typedText } }));
    await waitFor(() => expect(screen.getByTestId("field-name")).toHaveValue(typed.name));
    expect(validateManifestText).toHaveBeenCalledWith(path, canned.typedText);

    await userEvent.click(screen.getByTestId("undo"));
    expect(screen.getByTestId("field-name"), "the view core gave for that text, without asking again").toHaveValue(loaded.name);
  });

  it("gives way to core's reason when core has no view", async () => {
    const broken = canned.broken;
    renderWithStub(<ManifestScreen path={broken.document.path} onManagePermissions={() => undefined} />, onDisk(broken));
    expect(await screen.findByTestId("form-unavailable")).toBeInTheDocument();
    expect(screen.getByTestId("unreadable-reason")).toHaveTextContent(reasonOf(broken.read));
  });
});

describe("the Permissions screen", () => {
  it("says why core can't read the file instead of listing permissions", async () => {
    const broken = canned.broken;
    renderWithStub(
      <PermissionsScreen path={broken.document.path} />,
      stubBackend({
        loadManifest: () => Promise.resolve(broken),
        permissionCatalog: () => Promise.resolve(cannedPermissions.catalog),
      }),
    );
    expect(await screen.findByTestId("unreadable-reason")).toHaveTextContent(reasonOf(broken.read));
  });
});
