import { describe, expect, it } from "vitest";
import type { DiffLine } from "../../bindings/DiffLine";
import { fold } from "./SaveDialog";

const eq = (o: number, n: number): DiffLine => ({ tag: "equal", old_line: o, new_line: n, text: `line ${o}` });

describe("diff folding", () => {
  it("marks the lines the core left out between hunks", () => {
    const lines: DiffLine[] = [eq(4, 4), { tag: "delete", old_line: 5, new_line: null, text: "a" }, { tag: "insert", old_line: null, new_line: 5, text: "b" }, eq(6, 6), eq(20, 20), { tag: "insert", old_line: null, new_line: 21, text: "c" }];
    const rows = fold(lines);
    expect(rows[0]).toEqual({ kind: "skip", count: 3 });
    expect(rows.filter((r) => r.kind === "line")).toHaveLength(6);
    expect(rows[5]).toEqual({ kind: "skip", count: 13 });
  });

  it("folds long unchanged runs of a full diff", () => {
    const lines = [...Array.from({ length: 10 }, (_, i) => eq(i + 1, i + 1)), { tag: "insert", old_line: null, new_line: 11, text: "x" } as DiffLine];
    const rows = fold(lines);
    expect(rows[0]).toEqual({ kind: "skip", count: 7 });
    expect(rows.filter((r) => r.kind === "line")).toHaveLength(4);
  });
});
