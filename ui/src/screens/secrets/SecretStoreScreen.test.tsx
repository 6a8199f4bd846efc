import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import { AppError } from "../../api/errors";
import type { ApiRequest } from "../../bindings/ApiRequest";
import { secrets as canned } from "../../test/canned";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { SecretStoreScreen } from "./SecretStoreScreen";

const same = (a: ApiRequest, b: ApiRequest) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The Secret Store as the sandbox answered core's calls: each request the screen sends must be the
 * one core builds for that operation; a list answers with the store as the last set or delete left it.
 */
function secretStore() {
  let stored = false;
  return vi.fn<Backend["apiSend"]>(async (request) => {
    const [set, setAnswer] = canned.set;
    const [del, delAnswer] = canned.delete;
    if (same(request, set)) {
      stored = true;
      return setAnswer;
    }
    if (same(request, del)) {
      stored = false;
      return delAnswer;
    }
    if (same(request, canned.listEmpty[0])) return stored ? canned.listOne[1] : canned.listEmpty[1];
    for (const [asked, answer] of [canned.find, canned.listUser]) if (same(request, asked)) return answer;
    throw new AppError("internal", `no canned answer for ${JSON.stringify(request)}`);
  });
}

describe("Secret Store", () => {
  it("sets (payload cleared), lists, finds with payload and deletes, as the install, by scope", async () => {
    const user = userEvent.setup();
    const apiSend = secretStore();
    renderWithStub(
      <SecretStoreScreen />,
      stubBackend({
        installsList: vi.fn<Backend["installsList"]>().mockResolvedValue(canned.installs),
        apiSend,
      }),
    );
    expect(await screen.findByTestId("secrets-empty")).toBeInTheDocument();
    await user.type(screen.getByTestId("secret-name"), "gh_token");
    const payload = screen.getByTestId("secret-payload-input");
    expect(payload).toHaveAttribute("type", "password");
    await user.type(payload, "s3cret");
    await user.click(screen.getByTestId("secret-set"));
    expect(payload).toHaveValue("");
    const row = await screen.findByTestId("secret-row");
    expect(row).toHaveAttribute("data-name", "gh_token");
    expect(apiSend.mock.calls.map(([r]) => r), "the set went out as core builds it").toContainEqual(canned.set[0]);

    await user.click(screen.getByTestId("secret-find-gh_token"));
    expect(await screen.findByTestId("secret-payload")).toHaveTextContent("s3cret");

    await user.selectOptions(screen.getByTestId("secrets-scope"), "user");
    await user.type(screen.getByTestId("secrets-user"), "usr_1");
    await waitFor(() => expect(screen.getByTestId("secrets-empty")).toBeInTheDocument());
    await user.selectOptions(screen.getByTestId("secrets-scope"), "account");
    await user.click(await screen.findByTestId("secret-delete-gh_token"));
    await waitFor(() => expect(screen.getByTestId("secrets-empty")).toBeInTheDocument());
    expect(apiSend.mock.calls.map(([r]) => r)).toContainEqual(canned.delete[0]);
  });
});
