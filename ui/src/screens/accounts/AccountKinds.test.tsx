import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import { AppError } from "../../api/errors";
import type { AccountProfile } from "../../bindings/AccountProfile";
import type { AccountsView } from "../../bindings/AccountsView";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { AccountsScreen } from "./AccountsScreen";

function profile(name: string, kind: AccountProfile["kind"]): AccountProfile {
  return {
    name,
    account_id: `acct_${name}`,
    mode: kind === "sandbox" ? "test" : kind,
    kind,
    credential: "secret-key",
    api_base: "https://api.stripe.com",
    display_name: null,
    added_at: "2026-01-01T00:00:00Z",
  };
}

const rowNamed = (name: string): HTMLElement => {
  const row = screen.getAllByTestId("accounts-row").find((r) => r.dataset.name === name);
  if (!row) throw new Error(`no row ${name}`);
  return row;
};

/** The screen also lists app credentials; none here. */
const noApps = vi.fn<Backend["appsList"]>().mockResolvedValue([]);

describe("account kinds", () => {
  it("the sandbox checkbox declares a Stripe sandbox key, and the list shows its kind", async () => {
    const user = userEvent.setup();
    const before: AccountsView = { current: "local", accounts: [profile("local", "local")] };
    const after: AccountsView = { current: "local", accounts: [profile("local", "local"), profile("sbx", "sandbox")] };
    const accountsList = vi.fn<Backend["accountsList"]>().mockResolvedValueOnce(before).mockResolvedValue(after);
    const accountsAdd = vi.fn<Backend["accountsAdd"]>().mockResolvedValue(profile("sbx", "sandbox"));
    const { container } = renderWithStub(<AccountsScreen />, stubBackend({ accountsList, accountsAdd, appsList: noApps }));
    await waitFor(() => expect(screen.getAllByTestId("accounts-row")).toHaveLength(1));

    const box = screen.getByTestId("account-sandbox");
    expect(box, "off unless the user says so: a sandbox key looks like a test key").not.toBeChecked();
    await user.type(screen.getByTestId("account-name"), "sbx");
    const key = "sk_test_sandboxKey000001";
    await user.type(screen.getByTestId("account-key"), key);
    await user.click(box);
    await user.click(screen.getByTestId("account-add"));
    await waitFor(() => expect(accountsAdd).toHaveBeenCalledWith("sbx", key, undefined, false, true));
    await waitFor(() => expect(screen.getAllByTestId("accounts-row")).toHaveLength(2));
    const badge = within(rowNamed("sbx")).getByTestId("mode-badge");
    expect(badge).toHaveAttribute("data-kind", "sandbox");
    expect(badge).toHaveAttribute("data-mode", "test");
    expect(badge).toHaveTextContent("sandbox");
    expect(screen.getByTestId("account-sandbox"), "reset after adding").not.toBeChecked();
    expect(container.innerHTML).not.toContain(key);
  });

  it("without the checkbox the key is added as test mode, and core's refusal of a live sandbox shows its code", async () => {
    const user = userEvent.setup();
    const accountsList = vi.fn<Backend["accountsList"]>().mockResolvedValue({ current: "local", accounts: [profile("local", "local"), profile("prod", "live")] });
    const accountsAdd = vi.fn<Backend["accountsAdd"]>().mockRejectedValue(new AppError("invalid-input", "a Stripe sandbox has no live mode"));
    renderWithStub(<AccountsScreen />, stubBackend({ accountsList, accountsAdd, appsList: noApps }));
    await waitFor(() => expect(screen.getAllByTestId("accounts-row")).toHaveLength(2));
    const live = within(rowNamed("prod")).getByTestId("mode-badge");
    expect(live).toHaveAttribute("data-kind", "live");
    expect(live).toHaveTextContent("LIVE");

    await user.type(screen.getByTestId("account-name"), "qa");
    await user.type(screen.getByTestId("account-key"), "sk_test_plainTestKey0001");
    await user.click(screen.getByTestId("account-add"));
    await waitFor(() => expect(accountsAdd).toHaveBeenLastCalledWith("qa", "sk_test_plainTestKey0001", undefined, false, false));

    await user.type(screen.getByTestId("account-name"), "x");
    await user.type(screen.getByTestId("account-key"), "sk_live_liveKey00001");
    await user.click(screen.getByTestId("account-sandbox"));
    await user.click(screen.getByTestId("account-add"));
    expect(await screen.findByTestId("error")).toHaveAttribute("data-code", "invalid-input");
  });
});
