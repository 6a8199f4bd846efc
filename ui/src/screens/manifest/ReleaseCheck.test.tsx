import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../api/backend";
import { BackendProvider } from "../../api/context";
import { AppError } from "../../api/errors";
import type { Diagnostic } from "../../bindings/Diagnostic";
import type { ReleaseReport } from "../../bindings/ReleaseReport";
import { ReleaseCheck } from "./ReleaseCheck";

const PATH = "/proj/stripe-app.json";
const TEXT = '{"id": "com.example.a", "version": "1.0.0", "name": "A"}';

/** The two calls the view makes, typed against the Backend interface; nothing else exists. */
type Stub = Pick<Backend, "manifestReleaseCheck" | "openDialog">;

function stub(answer: (previousPath: string | null) => Promise<ReleaseReport>, picked: string | null = null) {
  return {
    manifestReleaseCheck: vi.fn<Backend["manifestReleaseCheck"]>((_path, _text, previousPath) => answer(previousPath ?? null)),
    openDialog: vi.fn<Backend["openDialog"]>(() => Promise.resolve(picked)),
  } satisfies Stub;
}

function renderView(backend: Stub, onSelect = vi.fn<(d: Diagnostic) => void>()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <BackendProvider backend={backend as unknown as Backend}>
      <QueryClientProvider client={client}>
        <ReleaseCheck path={PATH} text={TEXT} onSelect={onSelect} />
      </QueryClientProvider>
    </BackendProvider>,
  );
  return onSelect;
}

function diagnostic(severity: Diagnostic["severity"], code: string, message: string, line: number): Diagnostic {
  return { severity, code, message, pointer: "/allowed_redirect_uris/0", line, column: 5, start: 40, end: 70, suggestion: null, file: null };
}

const LOOPBACK = diagnostic(
  "error",
  "redirect-uri-loopback",
  "a loopback redirect URI works for a test version (Stripe matches it exactly, port included); remove it before the version you send to review",
  6,
);

function report(diagnostics: Diagnostic[], comparison: ReleaseReport["comparison"] = null): ReleaseReport {
  return { file: PATH, valid: !diagnostics.some((d) => d.severity === "error"), diagnostics, comparison };
}

describe("release check", () => {
  it("lists the release errors with their code, and a click jumps to the line", async () => {
    const backend = stub(() => Promise.resolve(report([LOOPBACK])));
    const onSelect = renderView(backend);
    expect(await screen.findByTestId("release-verdict")).toHaveTextContent("1 release error");
    const item = screen.getByTestId("release-problem");
    expect(item).toHaveAttribute("data-code", "redirect-uri-loopback");
    expect(item).toHaveTextContent("6:5");
    expect(item).toHaveTextContent("remove it before the version you send to review");
    await userEvent.click(within(item).getByRole("button"));
    expect(onSelect).toHaveBeenCalledWith(LOOPBACK);
    expect(backend.manifestReleaseCheck).toHaveBeenCalledWith(PATH, TEXT, null);
  });

  it("says the version is ready when nothing is refused", async () => {
    renderView(stub(() => Promise.resolve(report([]))));
    expect(await screen.findByTestId("release-verdict")).toHaveTextContent("Ready for review");
    expect(screen.getByTestId("release-empty")).toBeInTheDocument();
    expect(screen.queryByTestId("release-diff")).not.toBeInTheDocument();
  });

  it("compares with a previous manifest picked in the dialog and shows the permission diff", async () => {
    const backend = stub(
      (previousPath) =>
        Promise.resolve(
          previousPath === null
            ? report([])
            : report([diagnostic("info", "release-permissions-changed", "this version changes the permissions", 7)], {
                previous_file: previousPath,
                previous_version: "1.0.0",
                version: "1.1.0",
                ordering: "greater",
                added: [{ permission: "customer_write", purpose: "Update the customer's plan" }],
                removed: [{ permission: "invoice_read", purpose: "List invoices" }],
                reauthorization: true,
              }),
        ),
      "/releases/1.0.0/stripe-app.json",
    );
    renderView(backend);
    await screen.findByTestId("release-empty");
    await userEvent.click(screen.getByTestId("release-pick-previous"));
    expect(backend.openDialog).toHaveBeenCalledWith({ directory: false });
    const diff = await screen.findByTestId("release-diff");
    expect(backend.manifestReleaseCheck).toHaveBeenLastCalledWith(PATH, TEXT, "/releases/1.0.0/stripe-app.json");
    expect(diff).toHaveTextContent("Version 1.0.0 → 1.1.0");
    expect(within(diff).getByTestId("release-added")).toHaveTextContent("customer_write — Update the customer's plan");
    expect(within(diff).getByTestId("release-removed")).toHaveTextContent("invoice_read");
    expect(diff).toHaveTextContent("prompted to re-authorize");
    expect(screen.getByTestId("release-previous")).toHaveTextContent("Compared with stripe-app.json");

    await userEvent.click(screen.getByTestId("release-clear-previous"));
    await waitFor(() => expect(screen.queryByTestId("release-diff")).not.toBeInTheDocument());
  });

  it("a cancelled dialog changes nothing", async () => {
    const backend = stub(() => Promise.resolve(report([])), null);
    renderView(backend);
    await screen.findByTestId("release-empty");
    await userEvent.click(screen.getByTestId("release-pick-previous"));
    expect(backend.openDialog).toHaveBeenCalledTimes(1);
    expect(backend.manifestReleaseCheck).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("release-previous")).toHaveTextContent("Not compared");
  });

  it("shows a failed check with its code", async () => {
    const backend = stub(
      (previousPath) =>
        previousPath === null
          ? Promise.resolve(report([]))
          : Promise.reject(new AppError("manifest-syntax", "the previous version's manifest /x.json is not valid JSON")),
      "/x.json",
    );
    renderView(backend);
    await screen.findByTestId("release-empty");
    await userEvent.click(screen.getByTestId("release-pick-previous"));
    const error = await screen.findByTestId("error");
    expect(error).toHaveAttribute("data-code", "manifest-syntax");
    expect(error).toHaveTextContent("manifest-syntax");
    expect(error).toHaveTextContent("is not valid JSON");
  });

  it("shows that it is checking before the first answer", async () => {
    let resolve: (r: ReleaseReport) => void = () => undefined;
    renderView(stub(() => new Promise<ReleaseReport>((r) => (resolve = r))));
    expect(await screen.findByText("Checking the release…")).toBeInTheDocument();
    resolve(report([]));
    expect(await screen.findByTestId("release-verdict")).toBeInTheDocument();
  });
});
