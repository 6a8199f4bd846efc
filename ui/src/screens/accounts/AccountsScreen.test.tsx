import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import { accounts as canned, appError } from "../../test/canned";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { AccountsScreen } from "./AccountsScreen";

const rows = () => screen.getAllByTestId("accounts-row");
const rowNamed = (name: string): HTMLElement => {
  const row = rows().find((r) => r.dataset.name === name);
  if (!row) throw new Error(`no row ${name}`);
  return row;
};

/** The screen over core's account list, plus the test's own calls (it also lists app credentials: none). */
function renderScreen(accountsList = vi.fn<Backend["accountsList"]>().mockResolvedValue(canned.localOnly), calls: Partial<Backend> = {}) {
  const appsList = vi.fn<Backend["appsList"]>().mockResolvedValue([]);
  return renderWithStub(<AccountsScreen />, stubBackend({ accountsList, appsList, ...calls }));
}

async function addAccount(name: string, key: string) {
  const user = userEvent.setup();
  await screen.findAllByTestId("accounts-row");
  await user.type(screen.getByTestId("account-name"), name);
  await user.type(screen.getByTestId("account-key"), key);
  await user.click(screen.getByTestId("account-add"));
}

describe("accounts", () => {
  it("lists accounts with their mode and the current one marked", async () => {
    renderScreen();
    await screen.findAllByTestId("accounts-row");
    const row = rowNamed("local");
    expect(within(row).getByTestId("mode-badge")).toHaveAttribute("data-mode", "local");
    expect(within(row).getByTestId("current-badge")).toBeInTheDocument();
  });

  it("adding sends the key once, clears it from the form at once, never shows it, and shows core's mode for it", async () => {
    const user = userEvent.setup();
    const accountsList = vi.fn<Backend["accountsList"]>().mockResolvedValueOnce(canned.localOnly).mockResolvedValue(canned.withProd);
    const accountsAdd = vi.fn<Backend["accountsAdd"]>().mockResolvedValue(canned.prodAdded);
    const { container } = renderScreen(accountsList, { accountsAdd });
    await screen.findAllByTestId("accounts-row");
    const key = "sk_live_fake_key_for_ui_01";
    await user.type(screen.getByTestId("account-name"), "prod");
    const keyInput = screen.getByTestId("account-key");
    expect(keyInput).toHaveAttribute("type", "password");
    await user.type(keyInput, key);
    await user.click(screen.getByTestId("account-add"));
    expect(keyInput, "cleared right after submit").toHaveValue("");
    await waitFor(() => expect(rows()).toHaveLength(canned.withProd.accounts.length));
    expect(accountsAdd.mock.calls).toEqual([["prod", key, undefined, false, false]]);
    const prod = rowNamed("prod");
    expect(within(prod).getByTestId("mode-badge")).toHaveAttribute("data-mode", "live");
    expect(container.innerHTML, "the key is nowhere in the DOM").not.toContain(key);
  });

  it("a refused key shows core's code (malformed: invalid-input; refused by Stripe: key-rejected) and is still cleared", async () => {
    const accountsAdd = vi
      .fn<Backend["accountsAdd"]>()
      .mockRejectedValueOnce(appError(canned.notAKey))
      .mockRejectedValueOnce(appError(canned.keyRejected));
    renderScreen(undefined, { accountsAdd });
    await addAccount("bad", "not-a-key");
    expect(await screen.findByTestId("error")).toHaveAttribute("data-code", "invalid-input");
    expect(screen.getByTestId("account-key")).toHaveValue("");

    await userEvent.clear(screen.getByTestId("account-name"));
    await addAccount("bad", "sk_test_unknown_key_0001");
    await waitFor(() => expect(screen.getByTestId("error")).toHaveAttribute("data-code", "key-rejected"));
    expect(screen.getByTestId("error")).toHaveTextContent(canned.keyRejected.message);
    expect(screen.getByTestId("account-key")).toHaveValue("");
  });

  it("switches and removes after confirmation", async () => {
    const user = userEvent.setup();
    const accountsList = vi.fn<Backend["accountsList"]>().mockResolvedValueOnce(canned.localOnly).mockResolvedValue(canned.withQa);
    const accountsAdd = vi.fn<Backend["accountsAdd"]>().mockResolvedValue(canned.qaAdded);
    const accountsUse = vi.fn<Backend["accountsUse"]>().mockResolvedValue(canned.qaCurrent);
    const accountsRemove = vi.fn<Backend["accountsRemove"]>().mockResolvedValue(canned.qaRemoved);
    renderScreen(accountsList, { accountsAdd, accountsUse, accountsRemove });
    await addAccount("qa", "sk_test_abcdefgh1234");
    await waitFor(() => expect(rows()).toHaveLength(canned.withQa.accounts.length));

    await user.click(screen.getByTestId("account-use-qa"));
    await waitFor(() => expect(within(rowNamed("qa")).getByTestId("current-badge")).toBeInTheDocument());
    expect(accountsUse.mock.calls).toEqual([["qa"]]);

    await user.click(screen.getByTestId("account-remove-qa"));
    expect(accountsRemove, "nothing removed before confirming").not.toHaveBeenCalled();
    await user.click(screen.getByTestId("account-remove-confirm"));
    await waitFor(() => expect(rows()).toHaveLength(canned.qaRemoved.accounts.length));
    expect(accountsRemove.mock.calls).toEqual([["qa"]]);
  });
});
