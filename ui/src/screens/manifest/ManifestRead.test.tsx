import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import type { ManifestRead } from "../../bindings/ManifestRead";
import type { ManifestState } from "../../bindings/ManifestState";
import type { ManifestView } from "../../bindings/ManifestView";
import { editorView } from "../../test/render";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { PermissionsScreen } from "../permissions/PermissionsScreen";
import { ManifestScreen } from "./ManifestScreen";

/**
 * The form and the lists show core's read of the manifest (its `ManifestRead`, from
 * `load_manifest`, `validate_manifest_text` and `preview_edit`), never a reading of the text of
 * their own: the stubs below answer views that the text alone would not give.
 */
const PATH = "/p/stripe-app.json";
const TEXT = '{"id": "com.example.app", "name": "On disk"}';

// What core's view::read answers for TEXT.
const VIEW: ManifestView = {
  id: "com.example.app",
  name: "On disk",
  version: "",
  icon: "",
  distribution_type: "private",
  access_type: "platform",
  sandbox_install_compatible: false,
  redirect_uris: [],
  permissions: [],
  views: [],
  connect_src: [],
  image_src: [],
  csp_purpose: "",
  post_install_type: null,
  post_install_url: "",
};

const state = (read: ManifestRead): ManifestState => ({ document: { path: PATH, text: TEXT, revision: "r1" }, diagnostics: [], read });

describe("the Manifest screen's form", () => {
  it("shows core's view of the loaded file, then of the buffer as core checks it", async () => {
    const edited = TEXT.replace("On disk", "Typed");
    const validateManifestText = vi.fn<Backend["validateManifestText"]>((_path, text) =>
      Promise.resolve({
        diagnostics: [],
        read: { kind: "view", view: text === edited ? { ...VIEW, name: "Checked by core", distribution_type: "public" } : VIEW },
      }),
    );
    const backend = stubBackend({
      loadManifest: () => Promise.resolve(state({ kind: "view", view: VIEW })),
      diskRevision: () => Promise.resolve("r1"),
      validateManifestText,
    });
    const { container } = renderWithStub(<ManifestScreen path={PATH} onManagePermissions={() => undefined} />, backend);
    expect(await screen.findByTestId("field-name")).toHaveValue("On disk");
    expect(screen.getByTestId("field-distribution"), "core's default, not the UI's").toHaveValue("private");

    const view = editorView(container);
    act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: edited } }));
    await waitFor(() => expect(screen.getByTestId("field-name")).toHaveValue("Checked by core"));
    expect(validateManifestText).toHaveBeenCalledWith(PATH, edited);
    expect(screen.getByTestId("field-distribution")).toHaveValue("public");

    await userEvent.click(screen.getByTestId("undo"));
    expect(screen.getByTestId("field-name"), "undo shows the view core gave for that text, at once").toHaveValue("On disk");
  });

  it("gives way to core's reason when core has no view", async () => {
    const reason = "line 1, column 10: invalid JSON: fix the text at this position";
    const backend = stubBackend({
      loadManifest: () => Promise.resolve(state({ kind: "unreadable", reason })),
      diskRevision: () => Promise.resolve("r1"),
    });
    renderWithStub(<ManifestScreen path={PATH} onManagePermissions={() => undefined} />, backend);
    expect(await screen.findByTestId("form-unavailable")).toBeInTheDocument();
    expect(screen.getByTestId("unreadable-reason")).toHaveTextContent(reason);
  });
});

describe("the Permissions screen", () => {
  it("lists core's granted permissions, or says why core can't read the file", async () => {
    const granted = { ...VIEW, permissions: [{ permission: "customer_read", purpose: "Shows customers", purpose_is_map: true }] };
    const first = renderWithStub(
      <PermissionsScreen path={PATH} />,
      stubBackend({
        loadManifest: () => Promise.resolve(state({ kind: "view", view: granted })),
        permissionCatalog: () => Promise.resolve([]),
        eventTypes: () => Promise.resolve([]),
        adviseEvents: () => Promise.resolve([]),
      }),
    );
    expect(await screen.findByTestId("granted-customer_read")).toBeInTheDocument();
    expect(screen.getByTestId("purpose-customer_read")).toHaveValue("Shows customers");
    expect(screen.getByText("Purpose (first locale; saving replaces the map)"), "core says the purpose is a locale map").toBeInTheDocument();
    first.unmount();

    const reason = "line 3, column 1: the object is not closed; add the missing }";
    renderWithStub(
      <PermissionsScreen path={PATH} />,
      stubBackend({ loadManifest: () => Promise.resolve(state({ kind: "unreadable", reason })), permissionCatalog: () => Promise.resolve([]) }),
    );
    expect(await screen.findByTestId("unreadable-reason")).toHaveTextContent(reason);
  });
});
