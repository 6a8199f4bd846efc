import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import { AppError } from "../../api/errors";
import type { InstallRecord } from "../../bindings/InstallRecord";
import type { SecretList } from "../../bindings/SecretList";
import type { StoredSecret } from "../../bindings/StoredSecret";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { SecretStoreScreen } from "./SecretStoreScreen";

const INSTALL: InstallRecord = {
  install: "inst_demo1",
  app: "com.example.app",
  account: "local",
  mode: "local",
  stripe_user_id: "acct_1",
  livemode: false,
  scope: "stripe_apps",
  kind: "oauth",
  access_expires_at: null,
  status: "active",
  installed_at: "2026-01-01T00:00:00Z",
  refreshed_at: null,
  access_token_hint: null,
  refresh_token_hint: null,
};

const GH: StoredSecret = {
  id: "appsecret_1",
  name: "gh_token",
  created: 1_767_225_600,
  expires_at: null,
  livemode: false,
  deleted: false,
  scope: { type: "account" },
  payload: null,
};

const page = (data: StoredSecret[]): SecretList => ({ data, has_more: false });

function backend(calls: Partial<Backend> = {}) {
  const stored: StoredSecret[] = [];
  const secretsList = vi.fn<Backend["secretsList"]>((_install, scope) => Promise.resolve(page(scope.type === "account" ? [...stored] : [])));
  const secretsSet = vi.fn<Backend["secretsSet"]>((_install, _scope, name) => {
    stored.push({ ...GH, name });
    return Promise.resolve({ ...GH, name });
  });
  const secretsFind = vi.fn<Backend["secretsFind"]>((_install, _scope, name) => Promise.resolve({ ...GH, name, payload: "s3cret" }));
  const secretsDelete = vi.fn<Backend["secretsDelete"]>((_install, _scope, name) => {
    stored.splice(stored.findIndex((s) => s.name === name), 1);
    return Promise.resolve({ ...GH, name, deleted: true });
  });
  const stub = { installsList: () => Promise.resolve([INSTALL]), secretsList, secretsSet, secretsFind, secretsDelete, apiHistory: () => Promise.resolve([]), ...calls };
  return { backend: stubBackend(stub), secretsList, secretsSet, secretsFind, secretsDelete };
}

describe("Secret Store", () => {
  it("passes install, scope, name, payload and expiry to core, and shows its typed answers", async () => {
    const user = userEvent.setup();
    const b = backend();
    renderWithStub(<SecretStoreScreen />, b.backend);
    expect(await screen.findByTestId("secrets-empty")).toBeInTheDocument();
    expect(b.secretsList).toHaveBeenCalledWith("inst_demo1", { type: "account" });

    await user.type(screen.getByTestId("secret-name"), "gh_token");
    const payload = screen.getByTestId("secret-payload-input");
    expect(payload).toHaveAttribute("type", "password");
    await user.type(payload, "s3cret");
    await user.click(screen.getByTestId("secret-set"));
    expect(payload, "the typed payload leaves the form at once").toHaveValue("");
    expect(b.secretsSet).toHaveBeenCalledWith("inst_demo1", { type: "account" }, "gh_token", "s3cret", undefined);
    const row = await screen.findByTestId("secret-row");
    expect(row, "the list is read again after a set").toHaveAttribute("data-name", "gh_token");
    expect(await screen.findByTestId("secret-changed")).toBeInTheDocument();

    await user.click(screen.getByTestId("secret-find-gh_token"));
    expect(await screen.findByTestId("secret-payload")).toHaveTextContent("s3cret");
    expect(b.secretsFind).toHaveBeenCalledWith("inst_demo1", { type: "account" }, "gh_token");

    await user.selectOptions(screen.getByTestId("secrets-scope"), "user");
    await user.type(screen.getByTestId("secrets-user"), "usr_1");
    await waitFor(() => expect(b.secretsList).toHaveBeenLastCalledWith("inst_demo1", { type: "user", user: "usr_1" }));
    expect(await screen.findByTestId("secrets-empty")).toBeInTheDocument();

    await user.selectOptions(screen.getByTestId("secrets-scope"), "account");
    await user.click(await screen.findByTestId("secret-delete-gh_token"));
    expect(b.secretsDelete).toHaveBeenCalledWith("inst_demo1", { type: "account" }, "gh_token");
    await waitFor(() => expect(screen.getByTestId("secrets-empty")).toBeInTheDocument());
    expect(screen.queryByTestId("secret-found"), "a deleted secret's payload is no longer shown").not.toBeInTheDocument();
  });

  it("sends an expiry as Unix seconds and shows Stripe's refusal with core's code", async () => {
    const user = userEvent.setup();
    const refusal = new AppError("api-error", "Stripe answered 404 invalid_request_error/resource_missing: No such secret: 'nope' (Request-Id req_1)");
    const b = backend({ secretsFind: vi.fn<Backend["secretsFind"]>(() => Promise.reject(refusal)) });
    renderWithStub(<SecretStoreScreen />, b.backend);
    await screen.findByTestId("secrets-empty");

    await user.type(screen.getByTestId("secret-name"), "session");
    await user.type(screen.getByTestId("secret-payload-input"), "x");
    await user.type(screen.getByTestId("secret-expires"), "2030-01-02T03:04");
    await user.click(screen.getByTestId("secret-set"));
    const at = Math.floor(new Date("2030-01-02T03:04").getTime() / 1000);
    expect(b.secretsSet).toHaveBeenCalledWith("inst_demo1", { type: "account" }, "session", "x", at);

    await user.type(screen.getByTestId("secret-find-name"), "nope");
    await user.click(screen.getByTestId("secret-find"));
    const alert = await screen.findByRole("alert");
    expect(alert, "core's code, as the UI branches on it").toHaveAttribute("data-code", "api-error");
    expect(alert).toHaveTextContent("No such secret: 'nope'");
  });

  it("a user scope waits for the user's id before listing", async () => {
    const user = userEvent.setup();
    const b = backend();
    renderWithStub(<SecretStoreScreen />, b.backend);
    await screen.findByTestId("secrets-empty");
    await user.selectOptions(screen.getByTestId("secrets-scope"), "user");
    expect(screen.getByText("A user scope needs the user's id.")).toBeInTheDocument();
    expect(b.secretsList).toHaveBeenCalledTimes(1);
  });
});
