import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { buildIndex, visibleRows } from "../../lib/jsonIndex";
import { renderWithStub, stubBackend } from "../../test/stubBackend";
import { BodyView } from "./ResponseViewer";

/** The viewer asks the backend nothing. */
const noCalls = stubBackend({});

function bigList(n: number): string {
  const data = Array.from({ length: n }, (_, i) => ({ id: `cus_${i}`, object: "customer", email: `c${i}@example.com`, metadata: { n: i } }));
  return JSON.stringify({ object: "list", url: "/v1/customers", has_more: false, data });
}

describe("JSON index", () => {
  it("subtrees are contiguous and collapsing skips them", () => {
    const index = buildIndex({ a: { b: 1, c: [true, null] }, d: "x" });
    // root, a, b, c, c[0], c[1], d
    expect(index.count).toBe(7);
    expect(Array.from(index.end)).toEqual([7, 6, 3, 6, 5, 6, 7]);
    const collapsed = new Uint8Array(index.count);
    collapsed[1] = 1;
    expect(Array.from(visibleRows(index, collapsed))).toEqual([0, 1, 6]);
  });
});

describe("response body viewer", () => {
  it("renders a 100k-item list with a bounded number of rows in the DOM, and publishes viewer stats", async () => {
    window.__appdeckViewerStats = undefined;
    renderWithStub(<BodyView body={bigList(100_000)} receivedAt={performance.now()} />, noCalls);
    const tree = await screen.findByTestId("json-tree", {}, { timeout: 10_000 });
    expect(Number(tree.dataset.rows), "every item is a row of the list").toBeGreaterThan(100_000);
    const rendered = within(tree).getAllByTestId("json-row").length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered, "only the visible window is in the DOM").toBeLessThan(80);
    expect(screen.getByTestId("json-node-count")).toHaveTextContent("600,005 nodes");
    const stats = await waitFor(
      () => {
        const s = window.__appdeckViewerStats;
        if (!s) throw new Error("no stats yet");
        return s;
      },
      { timeout: 3000 },
    );
    expect(stats.firstPaintMs).toBeGreaterThanOrEqual(0);
    expect(stats.longestStallMs).toBeGreaterThanOrEqual(0);
  }, 30_000);

  it("expands and collapses with the keyboard, and shows raw text virtualized too", async () => {
    const user = userEvent.setup();
    renderWithStub(<BodyView body={JSON.stringify({ a: { b: 1 }, c: [1, 2] })} />, noCalls);
    const tree = await screen.findByTestId("json-tree");
    expect(within(tree).getAllByTestId("json-row")).toHaveLength(6);
    tree.focus();
    await user.keyboard("{ArrowDown}{ArrowLeft}");
    expect(within(tree).getAllByTestId("json-row")).toHaveLength(5);
    await user.keyboard("{Enter}");
    expect(within(tree).getAllByTestId("json-row")).toHaveLength(6);

    await user.click(screen.getByTestId("body-tab-raw"));
    expect(screen.getByTestId("raw-body")).toHaveTextContent('{"a":{"b":1},"c":[1,2]}');
  });

  it("a body that isn't JSON falls back to raw text", async () => {
    renderWithStub(<BodyView body={"<html>oops</html>"} />, noCalls);
    expect(await screen.findByText(/Not JSON/)).toBeInTheDocument();
    expect(screen.getByTestId("raw-body")).toHaveTextContent("<html>oops</html>");
  });
});
