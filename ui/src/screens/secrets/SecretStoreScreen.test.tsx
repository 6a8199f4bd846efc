import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import { appError, present, secrets as canned } from "../../test/canned";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { SecretStoreScreen } from "./SecretStoreScreen";

const INSTALL = present(canned.installs[0], "install").install;
const NAME = canned.set.name;

/**
 * The Secret Store as core answered its use cases against the sandbox: a list answers with the
 * store as the last set or delete left it; the screen passes install, scope, name, payload and
 * expiry, never a request.
 */
function secretStore() {
  let stored = false;
  const secretsList = vi.fn<Backend["secretsList"]>((_install, scope) =>
    Promise.resolve(scope.type === "user" ? canned.listUser : stored ? canned.listOne : canned.listEmpty),
  );
  const secretsSet = vi.fn<Backend["secretsSet"]>(() => {
    stored = true;
    return Promise.resolve(canned.set);
  });
  const secretsFind = vi.fn<Backend["secretsFind"]>(() => (stored ? Promise.resolve(canned.find) : Promise.reject(appError(canned.findMissing))));
  const secretsDelete = vi.fn<Backend["secretsDelete"]>(() => {
    stored = false;
    return Promise.resolve(canned.delete);
  });
  const backend = stubBackend({
    installsList: vi.fn<Backend["installsList"]>().mockResolvedValue(canned.installs),
    secretsList,
    secretsSet,
    secretsFind,
    secretsDelete,
  });
  return { backend, secretsList, secretsSet, secretsFind, secretsDelete };
}

describe("Secret Store", () => {
  it("sets (payload cleared), lists, finds with payload and deletes, as the install, by scope", async () => {
    const user = userEvent.setup();
    const store = secretStore();
    renderWithStub(<SecretStoreScreen />, store.backend);
    expect(await screen.findByTestId("secrets-empty")).toBeInTheDocument();
    expect(store.secretsList).toHaveBeenCalledWith(INSTALL, { type: "account" });

    await user.type(screen.getByTestId("secret-name"), NAME);
    const payload = screen.getByTestId("secret-payload-input");
    expect(payload).toHaveAttribute("type", "password");
    await user.type(payload, "s3cret");
    await user.click(screen.getByTestId("secret-set"));
    expect(payload, "the typed payload leaves the form at once").toHaveValue("");
    expect(store.secretsSet).toHaveBeenCalledWith(INSTALL, { type: "account" }, NAME, "s3cret", undefined);
    const row = await screen.findByTestId("secret-row");
    expect(row, "the list is read again after a set").toHaveAttribute("data-name", NAME);
    expect(await screen.findByTestId("secret-changed")).toBeInTheDocument();

    await user.click(screen.getByTestId(`secret-find-${NAME}`));
    expect(await screen.findByTestId("secret-payload")).toHaveTextContent(present(canned.find.payload, "payload"));
    expect(store.secretsFind).toHaveBeenCalledWith(INSTALL, { type: "account" }, NAME);

    await user.selectOptions(screen.getByTestId("secrets-scope"), "user");
    await user.type(screen.getByTestId("secrets-user"), "usr_1");
    await waitFor(() => expect(store.secretsList).toHaveBeenLastCalledWith(INSTALL, { type: "user", user: "usr_1" }));
    expect(await screen.findByTestId("secrets-empty")).toBeInTheDocument();

    await user.selectOptions(screen.getByTestId("secrets-scope"), "account");
    await user.click(await screen.findByTestId(`secret-delete-${NAME}`));
    expect(store.secretsDelete).toHaveBeenCalledWith(INSTALL, { type: "account" }, NAME);
    await waitFor(() => expect(screen.getByTestId("secrets-empty")).toBeInTheDocument());
    expect(screen.queryByTestId("secret-found"), "a deleted secret's payload is no longer shown").not.toBeInTheDocument();
  });

  it("sends an expiry as Unix seconds and shows Stripe's refusal with core's code", async () => {
    const user = userEvent.setup();
    const store = secretStore();
    renderWithStub(<SecretStoreScreen />, store.backend);
    await screen.findByTestId("secrets-empty");

    await user.type(screen.getByTestId("secret-find-name"), NAME);
    await user.click(screen.getByTestId("secret-find"));
    const alert = await screen.findByRole("alert");
    expect(alert, "core's code, as the UI branches on it").toHaveAttribute("data-code", canned.findMissing.code);
    expect(alert).toHaveTextContent(canned.findMissing.message);

    await user.type(screen.getByTestId("secret-name"), "session");
    await user.type(screen.getByTestId("secret-payload-input"), "x");
    await user.type(screen.getByTestId("secret-expires"), "2030-01-02T03:04");
    await user.click(screen.getByTestId("secret-set"));
    const at = Math.floor(new Date("2030-01-02T03:04").getTime() / 1000);
    expect(store.secretsSet).toHaveBeenCalledWith(INSTALL, { type: "account" }, "session", "x", at);
  });

  it("a user scope waits for the user's id before listing", async () => {
    const user = userEvent.setup();
    const store = secretStore();
    renderWithStub(<SecretStoreScreen />, store.backend);
    await screen.findByTestId("secrets-empty");
    await user.selectOptions(screen.getByTestId("secrets-scope"), "user");
    expect(screen.getByText("A user scope needs the user's id.")).toBeInTheDocument();
    expect(store.secretsList).toHaveBeenCalledTimes(1);
  });
});
