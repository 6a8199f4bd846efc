import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ApiResponse } from "../../bindings/ApiResponse";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { ResponseViewer } from "./ResponseViewer";

/** The viewer asks the backend nothing. */
const noCalls = stubBackend({});

function response(attempts: ApiResponse["attempts"]): ApiResponse {
  return {
    status: 200,
    headers: [["request-id", "req_1"]],
    request_id: "req_1",
    elapsed_ms: 8,
    body: '{"object":"list","data":[]}',
    stripe_error: null,
    mode: "local",
    method: "GET",
    url: "http://127.0.0.1:12111/v1/customers",
    idempotency_key: null,
    refreshed: false,
    attempts,
  };
}

describe("response attempts", () => {
  it("a retried call says how often and why, and lists each attempt with its wait", () => {
    renderWithStub(
      <ResponseViewer
        response={response([
          { status: 429, error: null, waited_ms: 0, elapsed_ms: 3 },
          { status: null, error: "the connection broke while reading the answer", waited_ms: 512, elapsed_ms: 2 },
          { status: 200, error: null, waited_ms: 1040, elapsed_ms: 8 },
        ])}
      />,
      noCalls,
    );
    expect(screen.getByTestId("api-attempts-summary")).toHaveTextContent("Retried 2× after 429, no answer (waited 1.6 s in all)");
    const items = within(screen.getByTestId("api-attempts")).getAllByTestId("api-attempt");
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent("429");
    expect(items[0]).not.toHaveTextContent("waiting");
    expect(items[1]).toHaveTextContent("no answer after waiting 512 ms");
    expect(items[1]).toHaveTextContent("the connection broke");
    expect(items[2]).toHaveTextContent("200 after waiting 1040 ms");
  });

  it("a call answered at once shows no retry line", () => {
    renderWithStub(<ResponseViewer response={response([{ status: 200, error: null, waited_ms: 0, elapsed_ms: 8 }])} />, noCalls);
    expect(screen.getByTestId("api-status")).toHaveTextContent("200");
    expect(screen.queryByTestId("api-attempts")).not.toBeInTheDocument();
  });
});
