import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderWithBackend } from "../../test/render";
import { AccountsScreen } from "./AccountsScreen";

const rows = () => screen.getAllByTestId("accounts-row");
const rowNamed = (name: string): HTMLElement => {
  const row = rows().find((r) => r.dataset.name === name);
  if (!row) throw new Error(`no row ${name}`);
  return row;
};

describe("accounts", () => {
  it("lists accounts with their mode and the current one marked", async () => {
    renderWithBackend(<AccountsScreen />);
    await screen.findAllByTestId("accounts-row");
    const row = rowNamed("local");
    expect(within(row).getByTestId("mode-badge")).toHaveAttribute("data-mode", "local");
    expect(within(row).getByTestId("current-badge")).toBeInTheDocument();
  });

  it("adding sends the key once, clears it from the form at once, never shows it, and flags a live key", async () => {
    const user = userEvent.setup();
    const { backend, container } = renderWithBackend(<AccountsScreen />);
    await screen.findAllByTestId("accounts-row");
    const key = "sk_live_fakeUiKey0001";
    await user.type(screen.getByTestId("account-name"), "prod");
    const keyInput = screen.getByTestId("account-key");
    expect(keyInput).toHaveAttribute("type", "password");
    await user.type(keyInput, key);
    await user.click(screen.getByTestId("account-add"));
    expect(keyInput, "cleared right after submit").toHaveValue("");
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(backend.callsOf("accounts_add")).toEqual([{ name: "prod", key, apiBase: undefined, skipCheck: false }]);
    const prod = rowNamed("prod");
    expect(within(prod).getByTestId("mode-badge")).toHaveAttribute("data-mode", "live");
    expect(container.innerHTML, "the key is nowhere in the DOM").not.toContain(key);
  });

  it("a rejected key shows its code and is still cleared", async () => {
    const user = userEvent.setup();
    renderWithBackend(<AccountsScreen />);
    await screen.findAllByTestId("accounts-row");
    await user.type(screen.getByTestId("account-name"), "bad");
    await user.type(screen.getByTestId("account-key"), "not-a-key");
    await user.click(screen.getByTestId("account-add"));
    expect(await screen.findByTestId("error")).toHaveAttribute("data-code", "key-rejected");
    expect(screen.getByTestId("account-key")).toHaveValue("");
  });

  it("switches and removes after confirmation", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<AccountsScreen />);
    await screen.findAllByTestId("accounts-row");
    await user.type(screen.getByTestId("account-name"), "qa");
    await user.type(screen.getByTestId("account-key"), "sk_test_abcdefgh1234");
    await user.click(screen.getByTestId("account-add"));
    await waitFor(() => expect(rows()).toHaveLength(2));

    await user.click(screen.getByTestId("account-use-qa"));
    await waitFor(() => expect(within(rowNamed("qa")).getByTestId("current-badge")).toBeInTheDocument());

    await user.click(screen.getByTestId("account-remove-qa"));
    expect(backend.callsOf("accounts_remove"), "nothing removed before confirming").toHaveLength(0);
    await user.click(screen.getByTestId("account-remove-confirm"));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(backend.callsOf("accounts_remove")).toEqual([{ name: "qa" }]);
  });
});
