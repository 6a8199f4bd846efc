import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import { appError, permissions as canned } from "../../test/canned";
import { answering, renderWithStub, stubBackend } from "../../test/stubBackend";
import { PermissionsScreen } from "./PermissionsScreen";

const PATH = canned.manifest.document.path;
const REVISION = canned.manifest.document.revision;

/** The screen over core's catalog and the canned manifest, plus the test's own calls. */
function renderScreen(calls: Partial<Backend> = {}) {
  const backend = stubBackend({
    loadManifest: vi.fn<Backend["loadManifest"]>().mockResolvedValue(canned.manifest),
    permissionCatalog: vi.fn<Backend["permissionCatalog"]>().mockResolvedValue(canned.catalog),
    eventTypes: vi.fn<Backend["eventTypes"]>().mockResolvedValue(canned.eventTypes),
    ...calls,
  });
  return renderWithStub(<PermissionsScreen path={PATH} />, backend);
}

const row = (name: string) => screen.queryByTestId(`catalog-row-${name}`);

function info(permission: string) {
  const found = canned.catalog.find((p) => p.permission === permission);
  if (!found) throw new Error(`core's catalog has no ${permission}`);
  return found;
}

describe("permission catalog", () => {
  it("search filters core's catalog by name, resource, category and description", async () => {
    const user = userEvent.setup();
    renderScreen();
    const search = await screen.findByTestId("permission-search");
    expect(row("customer_read")).toBeInTheDocument();

    await user.type(search, "invoice");
    expect(row("invoice_read")).toBeInTheDocument();
    expect(row("invoice_write")).toBeInTheDocument();
    expect(row("customer_read"), "non-matching rows are hidden").not.toBeInTheDocument();

    expect(info("invoice_read").category).toBe("Billing");
    await user.clear(search);
    await user.type(search, "billing");
    expect(row("invoice_read"), "matches the category").toBeInTheDocument();
    expect(row("charge_read")).not.toBeInTheDocument();

    expect(info("webhook_read").description).toMatch(/Endpoints/);
    await user.clear(search);
    await user.type(search, "endpoints");
    expect(row("webhook_read"), "matches the description").toBeInTheDocument();
    expect(row("invoice_read")).not.toBeInTheDocument();

    await user.clear(search);
    await user.type(search, "zzz-nothing");
    expect(screen.getByTestId("catalog-empty")).toBeInTheDocument();
  });

  it("hides schema-only names until asked", async () => {
    const schemaOnly = canned.catalog.find((p) => p.kind === "schema-enum-only");
    if (!schemaOnly) throw new Error("core's catalog has no schema-only name");
    renderScreen();
    await screen.findByTestId("permission-search");
    expect(row(schemaOnly.permission)).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId("show-schema-only"));
    expect(row(schemaOnly.permission)).toBeInTheDocument();
  });

  it("shows access, resource, description, implies and the events a permission unlocks", async () => {
    const customerRead = info("customer_read");
    renderScreen();
    const entry = await screen.findByTestId("catalog-row-customer_read");
    expect(entry).toHaveTextContent(customerRead.access);
    expect(entry).toHaveTextContent(customerRead.resource);
    expect(entry).toHaveTextContent(customerRead.description);
    expect(entry).toHaveTextContent(`Implies: ${customerRead.implies.join("")}`);
    expect(within(entry).getByText(`Unlocks ${customerRead.events.length} events`)).toBeInTheDocument();
    expect(within(entry).getByText("customer.created")).toBeInTheDocument();
  });
});

describe("granting", () => {
  it("requires a purpose, then writes grant-permission with the current revision", async () => {
    const user = userEvent.setup();
    const applyEditAndSave = vi.fn<Backend["applyEditAndSave"]>().mockResolvedValue(canned.grantedCustomerWrite);
    renderScreen({ applyEditAndSave });
    await user.click(await screen.findByTestId("grant-customer_write"));
    await user.click(screen.getByTestId("grant-confirm"));
    expect(screen.getByTestId("grant-purpose-required")).toHaveTextContent("A purpose is required.");
    expect(applyEditAndSave, "no write without a purpose").not.toHaveBeenCalled();

    await user.type(screen.getByTestId("grant-purpose-input"), "Create customers from orders");
    await user.click(screen.getByTestId("grant-confirm"));

    await waitFor(() => expect(applyEditAndSave).toHaveBeenCalledTimes(1));
    expect(applyEditAndSave).toHaveBeenCalledWith(PATH, REVISION, {
      kind: "grant-permission",
      permission: "customer_write",
      purpose: "Create customers from orders",
    });
    const granted = await screen.findByTestId("granted-customer_write");
    expect(within(granted).getByTestId("purpose-customer_write")).toHaveValue("Create customers from orders");
    expect(screen.queryByTestId("grant-customer_write"), "granted rows no longer offer Grant").not.toBeInTheDocument();
  });

  it("a whitespace-only purpose is refused too", async () => {
    const user = userEvent.setup();
    const applyEditAndSave = vi.fn<Backend["applyEditAndSave"]>();
    renderScreen({ applyEditAndSave });
    await user.click(await screen.findByTestId("grant-invoice_read"));
    await user.type(screen.getByTestId("grant-purpose-input"), "   ");
    await user.click(screen.getByTestId("grant-confirm"));
    expect(screen.getByTestId("grant-purpose-required")).toBeInTheDocument();
    expect(applyEditAndSave).not.toHaveBeenCalled();
  });
});

describe("granted permissions", () => {
  it("revoke writes revoke-permission and shows the manifest core wrote", async () => {
    const user = userEvent.setup();
    const applyEditAndSave = vi.fn<Backend["applyEditAndSave"]>().mockResolvedValue(canned.revokedCustomerRead);
    renderScreen({ applyEditAndSave });
    await user.click(await screen.findByTestId("revoke-customer_read"));
    await waitFor(() => expect(screen.queryByTestId("granted-customer_read")).not.toBeInTheDocument());
    expect(applyEditAndSave.mock.calls).toEqual([[PATH, REVISION, { kind: "revoke-permission", permission: "customer_read" }]]);
    expect(screen.getByTestId("granted-empty")).toBeInTheDocument();
  });

  it("editing a purpose writes set-permission-purpose", async () => {
    const user = userEvent.setup();
    const applyEditAndSave = vi.fn<Backend["applyEditAndSave"]>().mockResolvedValue(canned.purposeSet);
    renderScreen({ applyEditAndSave });
    const input = await screen.findByTestId("purpose-customer_read");
    await user.clear(input);
    await user.type(input, "List orders{Enter}");
    await waitFor(() =>
      expect(applyEditAndSave).toHaveBeenCalledWith(PATH, REVISION, { kind: "set-permission-purpose", permission: "customer_read", purpose: "List orders" }),
    );
    await waitFor(() => expect(screen.getByTestId("purpose-customer_read")).toHaveValue("List orders"));
  });

  it("a rejected write shows its error code", async () => {
    const user = userEvent.setup();
    renderScreen({ applyEditAndSave: vi.fn<Backend["applyEditAndSave"]>().mockRejectedValue(appError(canned.changedOnDisk)) });
    await user.click(await screen.findByTestId("revoke-customer_read"));
    const error = await screen.findByTestId("error");
    expect(error).toHaveAttribute("data-code", "manifest-changed-on-disk");
    expect(error).toHaveTextContent("manifest-changed-on-disk");
    expect(error).toHaveTextContent(canned.changedOnDisk.message);
    expect(screen.getByTestId("granted-customer_read"), "nothing was revoked").toBeInTheDocument();
  });
});

describe("CSP and event advisor", () => {
  it("adds a connect-src URL with grant-connect-src", async () => {
    const user = userEvent.setup();
    const applyEditAndSave = vi.fn<Backend["applyEditAndSave"]>().mockResolvedValue(canned.connectSrcGranted);
    renderScreen({ applyEditAndSave });
    await user.type(await screen.findByTestId("perm-connect-src-input"), "https://auth.example.com/oauth/");
    await user.click(screen.getByTestId("perm-connect-src-add"));
    await waitFor(() =>
      expect(applyEditAndSave).toHaveBeenCalledWith(PATH, REVISION, { kind: "grant-connect-src", url: "https://auth.example.com/oauth/", purpose: null }),
    );
    const section = screen.getByTestId("csp-section");
    expect(await within(section).findByText("https://auth.example.com/oauth/")).toBeInTheDocument();
  });

  it("says which permission unlocks an event and grants core's suggestion in one click", async () => {
    const user = userEvent.setup();
    const [created, paid] = canned.adviceBoth;
    const suggestion = paid?.suggestion;
    if (!created?.granted_by || !suggestion) throw new Error("the canned advice lacks a granted and a suggested event");
    const text = canned.manifest.document.text;
    const grantedText = canned.grantedSuggestion.document.text;
    const both = ["customer.created", "invoice.paid"];
    const adviseEvents = vi.fn<Backend["adviseEvents"]>(
      answering([
        [[PATH, text, ["customer.created"]], canned.adviceCustomerCreated],
        [[PATH, text, both], canned.adviceBoth],
        [[PATH, grantedText, both], canned.adviceBothAfterGrant],
      ]),
    );
    const applyEditAndSave = vi.fn<Backend["applyEditAndSave"]>().mockResolvedValue(canned.grantedSuggestion);
    renderScreen({ adviseEvents, applyEditAndSave });
    await user.type(await screen.findByTestId("event-input"), "customer.created{Enter}");
    expect(await screen.findByTestId("advice-customer.created")).toHaveTextContent(`received via ${created.granted_by}`);

    await user.type(screen.getByTestId("event-input"), "invoice.paid{Enter}");
    const advice = await screen.findByTestId("advice-invoice.paid");
    expect(advice).toHaveTextContent("not received");
    await user.click(within(advice).getByTestId("advice-grant-invoice.paid"));
    await waitFor(() =>
      expect(applyEditAndSave).toHaveBeenCalledWith(PATH, REVISION, { kind: "grant-permission", permission: suggestion, purpose: "Receive invoice.paid events." }),
    );
    await waitFor(() => expect(screen.getByTestId("advice-invoice.paid")).toHaveTextContent(`received via ${suggestion}`));
  });
});
