import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderWithBackend } from "../../test/render";
import { SignaturesScreen } from "./SignaturesScreen";

describe("signatures", () => {
  it("computes a Stripe-Signature, verifies it, and rejects a changed payload by code", async () => {
    const user = userEvent.setup();
    const { backend } = renderWithBackend(<SignaturesScreen />);
    await user.type(screen.getByTestId("sig-secret"), "whsec_x");
    await user.type(screen.getByTestId("sig-payload"), "hello");
    await user.click(screen.getByTestId("sig-compute"));
    await waitFor(() => expect((screen.getByTestId("sig-header") as HTMLInputElement).value).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/));
    await user.click(screen.getByTestId("sig-verify"));
    expect(await screen.findByTestId("sig-verdict")).toHaveAttribute("data-valid", "true");
    expect(screen.getByTestId("sig-verdict")).toHaveTextContent("tolerance 300 s");

    await user.type(screen.getByTestId("sig-payload"), "!");
    await user.click(screen.getByTestId("sig-verify"));
    await waitFor(() => expect(screen.getByTestId("sig-verdict")).toHaveAttribute("data-code", "signature-mismatch"));
    expect(JSON.stringify(backend.calls), "the secret is not recorded by the fake's call log either").not.toContain("whsec_x");
  });

  it("signs what fetchStripeSignature() sends, showing the signed payload", async () => {
    const user = userEvent.setup();
    renderWithBackend(<SignaturesScreen />);
    await user.type(screen.getByTestId("ui-secret"), "absec_1");
    await user.type(screen.getByTestId("ui-user"), "usr_1");
    await user.type(screen.getByTestId("ui-account"), "acct_1");
    await user.type(screen.getByTestId("ui-payload"), '{{"plan":"pro"}');
    expect(screen.getByTestId("ui-signed-payload")).toHaveTextContent('{"user_id":"usr_1","account_id":"acct_1","plan":"pro"}');
    await user.click(screen.getByTestId("ui-sign"));
    expect(await screen.findByTestId("ui-header")).toHaveTextContent(/^t=\d+,v1=/);
  });
});
