import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { ApiRequest } from "../../bindings/ApiRequest";
import { renderWithBackend } from "../../test/render";
import { SecretStoreScreen } from "./SecretStoreScreen";

describe("Secret Store", () => {
  it("sets (payload cleared), lists, finds with payload and deletes, as the install, by scope", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<SecretStoreScreen />);
    expect(await screen.findByTestId("secrets-empty")).toBeInTheDocument();
    await user.type(screen.getByTestId("secret-name"), "gh_token");
    const payload = screen.getByTestId("secret-payload-input");
    expect(payload).toHaveAttribute("type", "password");
    await user.type(payload, "s3cret");
    await user.click(screen.getByTestId("secret-set"));
    expect(payload).toHaveValue("");
    const row = await screen.findByTestId("secret-row");
    expect(row).toHaveAttribute("data-name", "gh_token");

    const requests = backend.callsOf("api_send").map((c) => c.request as ApiRequest);
    expect(requests.find((r) => r.method === "POST")).toEqual({
      method: "POST",
      path: "/v1/apps/secrets",
      params: [
        ["name", "gh_token"],
        ["payload", "s3cret"],
        ["scope[type]", "account"],
      ],
      raw_body: null,
      stripe_account: null,
      stripe_version: null,
      idempotency_key: null,
      auth: { kind: "install", install: "inst_demo1" },
    });

    await user.click(screen.getByTestId("secret-find-gh_token"));
    expect(await screen.findByTestId("secret-payload")).toHaveTextContent("s3cret");

    await user.selectOptions(screen.getByTestId("secrets-scope"), "user");
    await user.type(screen.getByTestId("secrets-user"), "usr_1");
    await waitFor(() => expect(screen.getByTestId("secrets-empty")).toBeInTheDocument());
    await user.selectOptions(screen.getByTestId("secrets-scope"), "account");
    await user.click(await screen.findByTestId("secret-delete-gh_token"));
    await waitFor(() => expect(screen.getByTestId("secrets-empty")).toBeInTheDocument());
  });
});
