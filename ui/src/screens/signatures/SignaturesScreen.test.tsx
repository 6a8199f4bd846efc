import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import { appError, signatures as canned } from "../../test/canned";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { SignaturesScreen } from "./SignaturesScreen";

describe("signatures", () => {
  it("computes a Stripe-Signature, verifies it, and shows a changed payload's refusal by code", async () => {
    const user = userEvent.setup();
    const signStripeSignature = vi.fn<Backend["signStripeSignature"]>().mockResolvedValue(canned.webhookHeader);
    const verifyStripeSignature = vi
      .fn<Backend["verifyStripeSignature"]>()
      .mockResolvedValueOnce(canned.webhookVerifiedAt)
      .mockRejectedValueOnce(appError(canned.webhookChanged));
    renderWithStub(<SignaturesScreen />, stubBackend({ signStripeSignature, verifyStripeSignature }));
    await user.type(screen.getByTestId("sig-secret"), "whsec_x");
    await user.type(screen.getByTestId("sig-payload"), "hello");
    await user.click(screen.getByTestId("sig-compute"));
    await waitFor(() => expect(screen.getByTestId("sig-header")).toHaveValue(canned.webhookHeader));
    expect(signStripeSignature.mock.calls).toEqual([[{ secret: "whsec_x", payload: "hello" }]]);
    await user.click(screen.getByTestId("sig-verify"));
    expect(await screen.findByTestId("sig-verdict")).toHaveAttribute("data-valid", "true");
    expect(screen.getByTestId("sig-verdict")).toHaveTextContent("tolerance 300 s");
    expect(verifyStripeSignature).toHaveBeenLastCalledWith({ secret: "whsec_x", header: canned.webhookHeader, payload: "hello", tolerance_secs: 300 });

    await user.type(screen.getByTestId("sig-payload"), "!");
    await user.click(screen.getByTestId("sig-verify"));
    await waitFor(() => expect(screen.getByTestId("sig-verdict")).toHaveAttribute("data-code", "signature-mismatch"));
    expect(verifyStripeSignature).toHaveBeenLastCalledWith({ secret: "whsec_x", header: canned.webhookHeader, payload: "hello!", tolerance_secs: 300 });
  });

  it("signs what fetchStripeSignature() sends, showing the payload core signs", async () => {
    const user = userEvent.setup();
    const signUiExtension = vi.fn<Backend["signUiExtension"]>().mockResolvedValue(canned.uiExtensionHeader);
    renderWithStub(<SignaturesScreen />, stubBackend({ signUiExtension }));
    await user.type(screen.getByTestId("ui-secret"), "absec_1");
    await user.type(screen.getByTestId("ui-user"), "usr_1");
    await user.type(screen.getByTestId("ui-account"), "acct_1");
    await user.type(screen.getByTestId("ui-payload"), '{{"plan":"pro"}');
    expect(screen.getByTestId("ui-signed-payload")).toHaveTextContent(canned.uiExtensionPayload);
    await user.click(screen.getByTestId("ui-sign"));
    expect(await screen.findByTestId("ui-header")).toHaveTextContent(canned.uiExtensionHeader);
    expect(signUiExtension.mock.calls).toEqual([[{ secret: "absec_1", user_id: "usr_1", account_id: "acct_1", payload: '{"plan":"pro"}' }]]);
  });
});
