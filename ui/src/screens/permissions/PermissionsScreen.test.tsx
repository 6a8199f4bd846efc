import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeRevision } from "../../api/fakeLogic";
import { renderWithBackend } from "../../test/render";
import { PermissionsScreen } from "./PermissionsScreen";

const PATH = "/proj/stripe-app.json";
const MANIFEST = `{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Orders",
  "permissions": [
    { "permission": "customer_read", "purpose": "Show orders" }
  ],
  "ui_extension": {
    "views": [],
    "content_security_policy": { "connect-src": ["https://api.example.com/v1/"], "purpose": "Orders API" }
  }
}
`;

function renderScreen() {
  return renderWithBackend(<PermissionsScreen path={PATH} />, { files: { [PATH]: MANIFEST } });
}

const row = (name: string) => screen.queryByTestId(`catalog-row-${name}`);

describe("permission catalog", () => {
  it("search filters by name, resource, category and description", async () => {
    const user = userEvent.setup();
    renderScreen();
    const search = await screen.findByTestId("permission-search");
    expect(row("customer_read")).toBeInTheDocument();

    await user.type(search, "invoice");
    expect(row("invoice_read")).toBeInTheDocument();
    expect(row("invoice_write")).toBeInTheDocument();
    expect(row("customer_read"), "non-matching rows are hidden").not.toBeInTheDocument();

    await user.clear(search);
    await user.type(search, "billing");
    expect(row("invoice_read"), "matches the category").toBeInTheDocument();
    expect(row("charge_read")).not.toBeInTheDocument();

    await user.clear(search);
    await user.type(search, "webhook");
    expect(row("event_read"), "matches the description").toBeInTheDocument();
    expect(row("invoice_read")).not.toBeInTheDocument();

    await user.clear(search);
    await user.type(search, "zzz-nothing");
    expect(screen.getByTestId("catalog-empty")).toBeInTheDocument();
  });

  it("hides schema-only names until asked", async () => {
    renderScreen();
    await screen.findByTestId("permission-search");
    expect(row("shpping_rate_write")).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId("show-schema-only"));
    expect(row("shpping_rate_write")).toBeInTheDocument();
  });

  it("shows access, resource, description, implies and the events a permission unlocks", async () => {
    renderScreen();
    const entry = await screen.findByTestId("catalog-row-customer_write");
    expect(entry).toHaveTextContent("write");
    expect(entry).toHaveTextContent("Customers");
    expect(entry).toHaveTextContent("Create and update customers.");
    expect(entry).toHaveTextContent("Implies: customer_read");
    expect(within(entry).getByText(/Unlocks 3 events/)).toBeInTheDocument();
    expect(within(entry).getByText("customer.created")).toBeInTheDocument();
  });
});

describe("granting", () => {
  it("requires a purpose, then writes grant-permission with the current revision", async () => {
    const user = userEvent.setup();
    const { backend } = renderScreen();
    await user.click(await screen.findByTestId("grant-customer_write"));
    await user.click(screen.getByTestId("grant-confirm"));
    expect(screen.getByTestId("grant-purpose-required")).toHaveTextContent("A purpose is required.");
    expect(backend.callsOf("apply_edit_and_save"), "no write without a purpose").toHaveLength(0);

    await user.type(screen.getByTestId("grant-purpose-input"), "Create customers from orders");
    await user.click(screen.getByTestId("grant-confirm"));

    await waitFor(() => expect(backend.callsOf("apply_edit_and_save")).toHaveLength(1));
    expect(backend.callsOf("apply_edit_and_save")[0]).toEqual({
      path: PATH,
      expectedRevision: fakeRevision(MANIFEST),
      edit: { kind: "grant-permission", permission: "customer_write", purpose: "Create customers from orders" },
    });
    const granted = await screen.findByTestId("granted-customer_write");
    expect(within(granted).getByTestId("purpose-customer_write")).toHaveValue("Create customers from orders");
    expect(screen.queryByTestId("grant-customer_write"), "granted rows no longer offer Grant").not.toBeInTheDocument();
  });

  it("a whitespace-only purpose is refused too", async () => {
    const user = userEvent.setup();
    const { backend } = renderScreen();
    await user.click(await screen.findByTestId("grant-invoice_read"));
    await user.type(screen.getByTestId("grant-purpose-input"), "   ");
    await user.click(screen.getByTestId("grant-confirm"));
    expect(screen.getByTestId("grant-purpose-required")).toBeInTheDocument();
    expect(backend.callsOf("apply_edit_and_save")).toHaveLength(0);
  });
});

describe("granted permissions", () => {
  it("revoke writes revoke-permission and removes the row", async () => {
    const user = userEvent.setup();
    const { backend } = renderScreen();
    await user.click(await screen.findByTestId("revoke-customer_read"));
    await waitFor(() => expect(screen.queryByTestId("granted-customer_read")).not.toBeInTheDocument());
    expect(backend.callsOf("apply_edit_and_save")[0]).toEqual({
      path: PATH,
      expectedRevision: fakeRevision(MANIFEST),
      edit: { kind: "revoke-permission", permission: "customer_read" },
    });
    expect(backend.files.get(PATH)).not.toContain("customer_read");
    expect(screen.getByTestId("granted-empty")).toBeInTheDocument();
  });

  it("editing a purpose writes set-permission-purpose", async () => {
    const user = userEvent.setup();
    const { backend } = renderScreen();
    const input = await screen.findByTestId("purpose-customer_read");
    await user.clear(input);
    await user.type(input, "List orders{Enter}");
    await waitFor(() =>
      expect(backend.callsOf("apply_edit_and_save")[0]?.edit).toEqual({
        kind: "set-permission-purpose",
        permission: "customer_read",
        purpose: "List orders",
      }),
    );
  });

  it("a rejected write shows its error code", async () => {
    const user = userEvent.setup();
    const { backend } = renderScreen();
    backend.failNext("apply_edit_and_save", { code: "manifest-changed-on-disk", message: "stripe-app.json changed on disk." });
    await user.click(await screen.findByTestId("revoke-customer_read"));
    const error = await screen.findByTestId("error");
    expect(error).toHaveAttribute("data-code", "manifest-changed-on-disk");
    expect(error).toHaveTextContent("manifest-changed-on-disk");
    expect(error).toHaveTextContent("stripe-app.json changed on disk.");
    expect(screen.getByTestId("granted-customer_read"), "nothing was revoked").toBeInTheDocument();
  });
});

describe("CSP and event advisor", () => {
  it("adds a connect-src URL with grant-connect-src", async () => {
    const user = userEvent.setup();
    const { backend } = renderScreen();
    await user.type(await screen.findByTestId("perm-connect-src-input"), "https://auth.example.com/oauth/");
    await user.click(screen.getByTestId("perm-connect-src-add"));
    await waitFor(() =>
      expect(backend.callsOf("apply_edit_and_save")[0]?.edit).toEqual({
        kind: "grant-connect-src",
        url: "https://auth.example.com/oauth/",
        purpose: null,
      }),
    );
    const section = screen.getByTestId("csp-section");
    expect(await within(section).findByText("https://auth.example.com/oauth/")).toBeInTheDocument();
  });

  it("says which permission unlocks an event and grants the suggestion in one click", async () => {
    const user = userEvent.setup();
    const { backend } = renderScreen();
    await user.type(await screen.findByTestId("event-input"), "customer.created{Enter}");
    expect(await screen.findByTestId("advice-customer.created")).toHaveTextContent("received via customer_read");

    await user.type(screen.getByTestId("event-input"), "invoice.paid{Enter}");
    const advice = await screen.findByTestId("advice-invoice.paid");
    expect(advice).toHaveTextContent("not received");
    await user.click(within(advice).getByTestId("advice-grant-invoice.paid"));
    await waitFor(() =>
      expect(backend.callsOf("apply_edit_and_save")[0]?.edit).toEqual({
        kind: "grant-permission",
        permission: "invoice_read",
        purpose: "Receive invoice.paid events.",
      }),
    );
    await waitFor(() => expect(screen.getByTestId("advice-invoice.paid")).toHaveTextContent("received via invoice_read"));
  });
});
