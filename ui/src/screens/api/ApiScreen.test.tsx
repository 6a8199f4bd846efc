import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import { AppError } from "../../api/errors";
import type { ApiRequest } from "../../bindings/ApiRequest";
import type { HistoryEntry } from "../../bindings/HistoryEntry";
import { apiConsole as canned, appError, present } from "../../test/canned";
import { answering, renderWithStub, stubBackend } from "../../test/stubBackend";
import { ApiScreen } from "./ApiScreen";

const PATH = canned.manifest.document.path;

/** The composer's first request: the list the canned `customers` answers. */
const LIST: ApiRequest = {
  method: "GET",
  path: "/v1/customers",
  params: [["limit", "10"]],
  raw_body: null,
  stripe_account: null,
  stripe_version: null,
  idempotency_key: null,
  auth: { kind: "account", name: null },
};

/** History as core answers it: the entries for no search, core's matches for the searches listed. */
function history(all: HistoryEntry[], searches: Record<string, HistoryEntry[]> = {}) {
  return vi.fn<Backend["apiHistory"]>(async (search) => {
    if (search === undefined || search === null) return all;
    const found = searches[search];
    if (!found) throw new AppError("internal", `no canned history search for "${search}"`);
    return found;
  });
}

/** The calls every render of the screen makes, plus the test's own. */
function renderScreen(calls: Partial<Backend>) {
  const backend = stubBackend({
    loadManifest: vi.fn<Backend["loadManifest"]>().mockResolvedValue(canned.manifest),
    accountsList: vi.fn<Backend["accountsList"]>().mockResolvedValue(canned.accounts),
    installsList: vi.fn<Backend["installsList"]>().mockResolvedValue(canned.installs),
    apiHistory: history([]),
    apiEndpoints: vi.fn<Backend["apiEndpoints"]>(
      answering([
        [["GET", "/v1/customers"], canned.endpointsGet],
        [["POST", "/v1/customers"], canned.endpointsPost],
      ]),
    ),
    apiNextPage: vi.fn<Backend["apiNextPage"]>().mockResolvedValue(null),
    qaRecordStatus: vi.fn<Backend["qaRecordStatus"]>().mockResolvedValue({ recording: false, steps: 0 }),
    ...calls,
  });
  return renderWithStub(<ApiScreen manifestPath={PATH} />, backend);
}

const sentRequests = (apiSend: ReturnType<typeof vi.fn<Backend["apiSend"]>>) => apiSend.mock.calls.map(([request]) => request);

describe("API composer", () => {
  it("sends the ApiRequest the rows describe (bracket keys kept as typed) and shows core's response", async () => {
    const user = userEvent.setup();
    const apiSend = vi.fn<Backend["apiSend"]>().mockResolvedValue(canned.created);
    renderScreen({ apiSend });
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

    await waitFor(() => expect(screen.getByTestId("api-status")).toHaveTextContent(String(canned.created.status)));
    expect(sentRequests(apiSend)).toEqual([
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
    expect(screen.getByTestId("api-request-id")).toHaveTextContent(present(canned.created.request_id, "request id"));
    expect(screen.getByTestId("stripe-error")).toHaveTextContent(present(canned.created.stripe_error?.code, "Stripe error code"));
  });

  it("a raw body replaces the rows for POST", async () => {
    const user = userEvent.setup();
    const apiSend = vi.fn<Backend["apiSend"]>().mockResolvedValue(canned.createdFromRawBody);
    renderScreen({ apiSend });
    await user.selectOptions(screen.getByTestId("api-method"), "POST");
    await user.click(screen.getByTestId("api-raw-toggle"));
    await user.type(screen.getByTestId("api-raw-body"), "email=b%40example.com");
    await user.click(screen.getByTestId("api-send"));
    await waitFor(() => expect(apiSend).toHaveBeenCalledTimes(1));
    expect(sentRequests(apiSend)[0]).toMatchObject({ params: [], raw_body: "email=b%40example.com" });
    await waitFor(() => expect(screen.getByTestId("api-status")).toHaveTextContent("200"));
  });

  it("live mode: red banner, writes blocked until unlocked with a confirmation", async () => {
    const user = userEvent.setup();
    const liveWrites = vi.fn<Backend["liveWrites"]>().mockResolvedValue(true);
    const apiSend = vi.fn<Backend["apiSend"]>(() => new Promise(() => undefined));
    renderScreen({ accountsList: vi.fn<Backend["accountsList"]>().mockResolvedValue(canned.accountsLive), liveWrites, apiSend });
    expect(await screen.findByTestId("live-banner")).toHaveTextContent("LIVE MODE");
    expect(screen.getByTestId("api-send"), "GET is allowed").toBeEnabled();

    await user.selectOptions(screen.getByTestId("api-method"), "POST");
    expect(screen.getByTestId("api-send")).toBeDisabled();
    expect(screen.getByTestId("api-blocked")).toHaveTextContent("locked");

    await user.click(screen.getByTestId("live-unlock"));
    expect(liveWrites, "a click alone does not unlock").not.toHaveBeenCalled();
    await user.click(screen.getByTestId("live-unlock-confirm"));
    await waitFor(() => expect(screen.getByTestId("api-send")).toBeEnabled());
    expect(liveWrites.mock.calls).toEqual([[true]]);
    await user.click(screen.getByTestId("api-send"));
    await waitFor(() => expect(sentRequests(apiSend)).toEqual([{ ...LIST, method: "POST" }]));
  });

  it("core's live-write-locked refusal is shown by its code", async () => {
    const user = userEvent.setup();
    renderScreen({ apiSend: vi.fn<Backend["apiSend"]>().mockRejectedValue(appError(canned.liveWriteLocked)) });
    await user.click(screen.getByTestId("api-send"));
    expect(await screen.findByTestId("error")).toHaveAttribute("data-code", "live-write-locked");
    expect(screen.getByTestId("error")).toHaveTextContent(canned.liveWriteLocked.message);
  });

  it("a call waiting for its answer can be cancelled by its id, and the screen says so by its code", async () => {
    const user = userEvent.setup();
    let reject: (e: unknown) => void = () => undefined;
    const apiSend = vi.fn<Backend["apiSend"]>(() => new Promise((_, no) => (reject = no)));
    const apiCancel = vi.fn<Backend["apiCancel"]>(async () => reject(appError(canned.cancelled)));
    renderScreen({ apiSend, apiCancel });
    await user.click(screen.getByTestId("api-send"));
    await user.click(await screen.findByTestId("api-send-cancel"));
    expect(await screen.findByTestId("error")).toHaveAttribute("data-code", "api-cancelled");
    expect(screen.queryByTestId("api-send-cancel")).not.toBeInTheDocument();
    const callId = apiSend.mock.calls[0]?.[1];
    expect(callId).toMatch(/^call_/);
    expect(apiCancel.mock.calls).toEqual([[callId]]);
  });

  it("as an install: core's pre-check warns, its 403 names the permission, and granting writes the manifest", async () => {
    const user = userEvent.setup();
    const install = canned.installs[0]?.install ?? "";
    const apiPrecheck = vi.fn<Backend["apiPrecheck"]>(async (method) => (method === "POST" ? canned.precheckPost : null));
    const apiSend = vi.fn<Backend["apiSend"]>().mockResolvedValue(canned.permissionDenied);
    const apiMissingPermission = vi.fn<Backend["apiMissingPermission"]>().mockResolvedValue(canned.missingPermission);
    const applyEditAndSave = vi.fn<Backend["applyEditAndSave"]>(async () => {
      apiPrecheck.mockResolvedValue(canned.precheckPostAfterGrant);
      return canned.grantedCustomerWrite;
    });
    renderScreen({ apiPrecheck, apiSend, apiMissingPermission, applyEditAndSave });
    const as = screen.getByTestId("api-as");
    await within(as).findByText(new RegExp(install));
    await user.selectOptions(as, `install:${install}`);
    await user.selectOptions(screen.getByTestId("api-method"), "POST");
    const pre = await screen.findByTestId("permission-precheck");
    expect(pre).toHaveAttribute("data-permission", canned.precheckPost ?? "");
    expect(apiPrecheck).toHaveBeenCalledWith("POST", "/v1/customers", PATH);

    await user.click(screen.getByTestId("api-send"));
    await waitFor(() => expect(screen.getByTestId("api-status")).toHaveTextContent("403"));
    expect(sentRequests(apiSend)[0]?.auth).toEqual({ kind: "install", install });
    expect(apiMissingPermission).toHaveBeenCalledWith(canned.permissionDenied);
    const offer = await screen.findByTestId("permission-403");
    expect(offer).toHaveAttribute("data-permission", canned.missingPermission ?? "");

    await user.click(within(offer).getByTestId("grant-in-manifest"));
    await user.type(within(offer).getByTestId("grant-purpose-input"), "Create customers from orders");
    await user.click(within(offer).getByTestId("grant-confirm"));
    await screen.findByTestId("grant-done");
    expect(applyEditAndSave).toHaveBeenCalledWith(PATH, canned.manifest.document.revision, {
      kind: "grant-permission",
      permission: "customer_write",
      purpose: "Create customers from orders",
    });
    await waitFor(() => expect(screen.queryByTestId("permission-precheck"), "granted: core's pre-check is clear").not.toBeInTheDocument());
  });

  it("history: core's entries appear, load into the composer, re-run, and the search goes to core as typed", async () => {
    const user = userEvent.setup();
    const apiHistory = history([], { "nothing-like-this": canned.historyNoMatch, "POST customers": canned.historyEveryWord });
    const apiSend = vi.fn<Backend["apiSend"]>(async () => {
      apiHistory.mockImplementationOnce(async () => canned.historyAfterSend);
      return canned.customers;
    });
    renderScreen({ apiHistory, apiSend });
    await user.click(screen.getByTestId("api-send"));
    const item = await screen.findByTestId("history-item");
    expect(item).toHaveTextContent("GET /v1/customers");
    expect(item).toHaveTextContent("200");

    const path = screen.getByTestId("api-path");
    await user.clear(path);
    await user.type(path, "/v1/account");
    await user.click(within(item).getByTestId("history-load"));
    expect(screen.getByTestId("api-path")).toHaveValue("/v1/customers");

    apiSend.mockImplementation(async () => {
      apiHistory.mockImplementation(async (search) => (search === undefined ? canned.historyAfterRerun : []));
      return canned.customersAgain;
    });
    await user.click(within(item).getByTestId("history-rerun"));
    await waitFor(() => expect(apiSend).toHaveBeenCalledTimes(2));
    expect(sentRequests(apiSend)).toEqual([LIST, LIST]);
    await waitFor(() => expect(screen.getAllByTestId("history-item")).toHaveLength(canned.historyAfterRerun.length));

    apiHistory.mockImplementation(history([], { "nothing-like-this": canned.historyNoMatch, "POST customers": canned.historyEveryWord }));
    await user.type(screen.getByTestId("history-search"), "nothing-like-this");
    await waitFor(() => expect(screen.queryAllByTestId("history-item")).toHaveLength(0));
    await user.clear(screen.getByTestId("history-search"));
    await user.type(screen.getByTestId("history-search"), "POST customers");
    await waitFor(() => expect(screen.getAllByTestId("history-item")).toHaveLength(canned.historyEveryWord.length));
    expect(apiHistory).toHaveBeenLastCalledWith("POST customers");
    expect(screen.getAllByTestId("history-item").every((i) => i.textContent?.includes("POST /v1/customers"))).toBe(true);
  });

  it("copies core's curl line, which reads the key from $STRIPE_API_KEY", async () => {
    const user = userEvent.setup();
    const apiCurl = vi.fn<Backend["apiCurl"]>().mockResolvedValue(canned.curl);
    renderScreen({ apiCurl });
    await user.click(screen.getByTestId("api-copy-curl"));
    const text = await screen.findByTestId("api-curl-text");
    expect(text.textContent).toBe(canned.curl);
    expect(text).toHaveTextContent("$STRIPE_API_KEY");
    expect(apiCurl.mock.calls).toEqual([[LIST]]);
    expect(await navigator.clipboard.readText()).toBe(canned.curl);
  });

  it("next page sends core's next request; fetch all reports core's progress and completes", async () => {
    const user = userEvent.setup();
    const apiSend = vi.fn<Backend["apiSend"]>().mockResolvedValueOnce(canned.customers).mockResolvedValueOnce(canned.customersPage2);
    const apiNextPage = vi.fn<Backend["apiNextPage"]>(
      answering([
        [[LIST, canned.customers], canned.nextPage],
        [[canned.nextPage, canned.customersPage2], canned.nextPageAfterLast],
      ]),
    );
    const apiFetchAll = vi.fn<Backend["apiFetchAll"]>(async (_request, _max, onProgress) => {
      for (const p of canned.fetchAllProgress) onProgress(p);
      return { job: "job_1" };
    });
    const apiFetchWait = vi.fn<Backend["apiFetchWait"]>().mockResolvedValue(canned.fetchAll);
    renderScreen({ apiSend, apiNextPage, apiFetchAll, apiFetchWait });
    await user.click(screen.getByTestId("api-send"));
    await waitFor(() => expect(screen.getByTestId("api-next-page")).toBeEnabled());
    await user.click(screen.getByTestId("api-next-page"));
    await waitFor(() => expect(apiSend).toHaveBeenCalledTimes(2));
    expect(sentRequests(apiSend)[1]).toEqual(canned.nextPage);
    await waitFor(() => expect(apiNextPage).toHaveBeenCalledTimes(2));
    expect(screen.getByTestId("api-next-page"), "core says the list ends here").toBeDisabled();

    await user.click(screen.getByTestId("api-fetch-all"));
    await waitFor(() => expect(screen.getByTestId("api-fetch-progress")).toHaveTextContent("complete"));
    const last = canned.fetchAllProgress.at(-1);
    expect(screen.getByTestId("api-fetch-progress")).toHaveTextContent(`${last?.count} objects, ${last?.pages} pages`);
    expect(apiFetchWait.mock.calls).toEqual([["job_1"]]);
  });
});
