import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { ApiRequest } from "../../bindings/ApiRequest";
import { fakeAccount } from "../../api/fakeWorld";
import { renderWithBackend } from "../../test/render";
import { ApiScreen } from "./ApiScreen";

const PATH = "/p/stripe-app.json";
const MANIFEST = JSON.stringify({
  id: "com.example.app",
  version: "1.0.0",
  name: "Orders",
  permissions: [{ permission: "customer_read", purpose: "Show orders" }],
});
const files = { [PATH]: MANIFEST };

const sent = (calls: Record<string, unknown>[]) => calls.map((c) => c.request as ApiRequest);

describe("API composer", () => {
  it("sends the ApiRequest the rows describe (bracket keys kept as typed) and shows the response", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<ApiScreen manifestPath={PATH} />, { files });
    await user.selectOptions(screen.getByTestId("api-method"), "POST");
    const keys = screen.getAllByTestId("api-param-key");
    const values = screen.getAllByTestId("api-param-value");
    await user.clear(keys[0] as HTMLElement);
    await user.type(keys[0] as HTMLElement, "email");
    await user.clear(values[0] as HTMLElement);
    await user.type(values[0] as HTMLElement, "a@example.com");
    await user.click(screen.getByTestId("api-param-add"));
    await user.type(screen.getAllByTestId("api-param-key")[1] as HTMLElement, "metadata[[plan]");
    await user.type(screen.getAllByTestId("api-param-value")[1] as HTMLElement, "pro");
    await user.click(screen.getByTestId("api-param-add"));
    await user.type(screen.getAllByTestId("api-param-key")[2] as HTMLElement, "expand[[]");
    await user.type(screen.getAllByTestId("api-param-value")[2] as HTMLElement, "default_source");
    await user.type(screen.getByTestId("api-stripe-account"), "acct_123");
    await user.type(screen.getByTestId("api-idempotency-key"), "idem-1");
    await user.click(screen.getByTestId("api-send"));

    await waitFor(() => expect(screen.getByTestId("api-status")).toHaveTextContent("200"));
    expect(sent(backend.callsOf("api_send"))).toEqual([
      {
        method: "POST",
        path: "/v1/customers",
        params: [
          ["email", "a@example.com"],
          ["metadata[plan]", "pro"],
          ["expand[]", "default_source"],
        ],
        raw_body: null,
        stripe_account: "acct_123",
        stripe_version: null,
        idempotency_key: "idem-1",
        auth: { kind: "account", name: null },
      },
    ]);
    expect(screen.getByTestId("api-request-id")).toHaveTextContent(/^req_/);
  });

  it("a raw body replaces the rows for POST", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<ApiScreen manifestPath={PATH} />, { files });
    await user.selectOptions(screen.getByTestId("api-method"), "POST");
    await user.click(screen.getByTestId("api-raw-toggle"));
    await user.type(screen.getByTestId("api-raw-body"), "email=b%40example.com");
    await user.click(screen.getByTestId("api-send"));
    await waitFor(() => expect(backend.callsOf("api_send")).toHaveLength(1));
    expect(sent(backend.callsOf("api_send"))[0]).toMatchObject({ params: [], raw_body: "email=b%40example.com" });
  });

  it("live mode: red banner, writes blocked until unlocked with a confirmation", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<ApiScreen manifestPath={PATH} />, { files, accounts: [fakeAccount("prod", "live")], current: "prod" });
    expect(await screen.findByTestId("live-banner")).toHaveTextContent("LIVE MODE");
    expect(screen.getByTestId("api-send"), "GET is allowed").toBeEnabled();

    await user.selectOptions(screen.getByTestId("api-method"), "POST");
    expect(screen.getByTestId("api-send")).toBeDisabled();
    expect(screen.getByTestId("api-blocked")).toHaveTextContent("locked");

    await user.click(screen.getByTestId("live-unlock"));
    expect(backend.callsOf("live_writes"), "a click alone does not unlock").toHaveLength(0);
    await user.click(screen.getByTestId("live-unlock-confirm"));
    await waitFor(() => expect(screen.getByTestId("api-send")).toBeEnabled());
    expect(backend.callsOf("live_writes")).toEqual([{ unlock: true }]);
    await user.click(screen.getByTestId("api-send"));
    await waitFor(() => expect(screen.getByTestId("api-status")).toHaveTextContent("200"));
  });

  it("the core's live-write-locked refusal is shown by its code", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<ApiScreen manifestPath={PATH} />, { files });
    backend.failNext("api_send", { code: "live-write-locked", message: "POST in live mode is locked." });
    await user.click(screen.getByTestId("api-send"));
    expect(await screen.findByTestId("error")).toHaveAttribute("data-code", "live-write-locked");
  });

  it("a call waiting for its answer can be cancelled, and the screen says so by its code", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<ApiScreen manifestPath={PATH} />, { files, sendMs: 60_000 });
    await user.click(screen.getByTestId("api-send"));
    await user.click(await screen.findByTestId("api-send-cancel"));
    expect(await screen.findByTestId("error")).toHaveAttribute("data-code", "api-cancelled");
    expect(screen.queryByTestId("api-send-cancel")).not.toBeInTheDocument();
    const [sentCall] = backend.callsOf("api_send");
    expect(backend.callsOf("api_cancel")).toEqual([{ call: sentCall?.call }]);
    expect(sentCall?.call).toMatch(/^call_/);
  });

  it("as an install: pre-check warns, a 403 names the permission and offers to grant it in the manifest", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<ApiScreen manifestPath={PATH} />, { files });
    const as = screen.getByTestId("api-as");
    await within(as).findByText(/inst_demo1/);
    await user.selectOptions(as, "install:inst_demo1");
    await user.selectOptions(screen.getByTestId("api-method"), "POST");
    const pre = await screen.findByTestId("permission-precheck");
    expect(pre).toHaveAttribute("data-permission", "customer_write");

    await user.click(screen.getByTestId("api-send"));
    await waitFor(() => expect(screen.getByTestId("api-status")).toHaveTextContent("403"));
    expect(screen.getByTestId("stripe-error")).toHaveTextContent("permission_denied");
    const offer = await screen.findByTestId("permission-403");
    expect(offer).toHaveAttribute("data-permission", "customer_write");

    await user.click(within(offer).getByTestId("grant-in-manifest"));
    await user.type(within(offer).getByTestId("grant-purpose-input"), "Create customers from orders");
    await user.click(within(offer).getByTestId("grant-confirm"));
    await screen.findByTestId("grant-done");
    expect(backend.callsOf("apply_edit_and_save")[0]).toMatchObject({
      path: PATH,
      edit: { kind: "grant-permission", permission: "customer_write", purpose: "Create customers from orders" },
    });
    await waitFor(() => expect(screen.queryByTestId("permission-precheck"), "granted: pre-check is clear").not.toBeInTheDocument());
  });

  it("history: entries appear, load into the composer, and re-run", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<ApiScreen manifestPath={PATH} />, { files });
    await user.click(screen.getByTestId("api-send"));
    const item = await screen.findByTestId("history-item");
    expect(item).toHaveTextContent("GET /v1/customers");
    expect(item).toHaveTextContent("200");

    const path = screen.getByTestId("api-path");
    await user.clear(path);
    await user.type(path, "/v1/account");
    await user.click(within(item).getByTestId("history-load"));
    expect(screen.getByTestId("api-path")).toHaveValue("/v1/customers");

    await user.click(within(item).getByTestId("history-rerun"));
    await waitFor(() => expect(backend.callsOf("api_send")).toHaveLength(2));
    expect(sent(backend.callsOf("api_send"))[1]).toEqual(sent(backend.callsOf("api_send"))[0]);
    await waitFor(() => expect(screen.getAllByTestId("history-item")).toHaveLength(2));

    await user.type(screen.getByTestId("history-search"), "nothing-like-this");
    await waitFor(() => expect(screen.queryAllByTestId("history-item")).toHaveLength(0));
  });

  it("copies the call as curl with the key as a placeholder", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<ApiScreen manifestPath={PATH} />, { files });
    await user.click(screen.getByTestId("api-copy-curl"));
    const text = await screen.findByTestId("api-curl-text");
    expect(text.textContent).toMatch(/^curl -G http:\/\/127\.0\.0\.1:12111\/v1\/customers/);
    expect(text).toHaveTextContent("$STRIPE_SECRET_KEY");
    expect(backend.callsOf("api_curl")).toHaveLength(1);
    expect(await navigator.clipboard.readText()).toBe(text.textContent);
  });

  it("next page sends starting_after the last id; fetch all reports progress and completes", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<ApiScreen manifestPath={PATH} />, { files, pageMs: 1 });
    await user.click(screen.getByTestId("api-send"));
    await waitFor(() => expect(screen.getByTestId("api-next-page")).toBeEnabled());
    await user.click(screen.getByTestId("api-next-page"));
    await waitFor(() => expect(backend.callsOf("api_send")).toHaveLength(2));
    expect(sent(backend.callsOf("api_send"))[1]?.params).toEqual([
      ["limit", "10"],
      ["starting_after", "cus_Fake000010"],
    ]);

    await user.click(screen.getByTestId("api-fetch-all"));
    await waitFor(() => expect(screen.getByTestId("api-fetch-progress")).toHaveTextContent("complete"));
    expect(screen.getByTestId("api-fetch-progress")).toHaveTextContent("15 objects, 2 pages");
  });
});
