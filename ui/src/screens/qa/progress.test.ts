import { describe, expect, it } from "vitest";
import type { QaProgress } from "../../bindings/QaProgress";
import { EMPTY_RUN, foldProgress, parseAccounts, parseLoops, tally } from "./progress";

const step = (account: string, loop: number, index: number): QaProgress => ({
  kind: "step",
  data: { account, loop_index: loop, loops: 2, index, steps: 3, label: `s${index}` },
});
const done = (account: string, loop: number, index: number, outcome: "passed" | "failed", message: string | null = null): QaProgress => ({
  kind: "step-done",
  data: { account, loop_index: loop, index, label: `s${index}`, outcome, duration_ms: 7 * index, message },
});

describe("foldProgress", () => {
  it("tracks where the run is and keeps every finished step in order", () => {
    const events = [step("install-1", 1, 1), done("install-1", 1, 1, "passed"), step("install-1", 1, 2), done("install-1", 1, 2, "failed", "status: expected 201, got 200"), step("install-2", 1, 1)];
    const view = events.reduce(foldProgress, EMPTY_RUN);
    expect(view.current).toEqual({ account: "install-2", loop: 1, loops: 2, index: 1, steps: 3, label: "s1" });
    expect(view.done.map((d) => [d.account, d.index, d.outcome, d.durationMs])).toEqual([
      ["install-1", 1, "passed", 7],
      ["install-1", 2, "failed", 14],
    ]);
    expect(view.done[1]?.message).toBe("status: expected 201, got 200");
    expect(tally(view.done)).toEqual({ passed: 1, failed: 1, skipped: 0, cancelled: 0 });
  });

  it("shows the consent URL until that account's install step ends, and keeps notes", () => {
    let view = foldProgress(EMPTY_RUN, step("acct_1", 1, 1));
    view = foldProgress(view, { kind: "consent", data: { account: "acct_1", url: "https://marketplace.stripe.com/oauth/v2/authorize?x" } });
    view = foldProgress(view, { kind: "note", data: "auto-consent was switched off" });
    expect(view.consent?.url).toContain("marketplace.stripe.com");
    expect(view.notes).toEqual(["auto-consent was switched off"]);
    view = foldProgress(view, done("acct_2", 1, 1, "passed"));
    expect(view.consent).not.toBeNull();
    view = foldProgress(view, done("acct_1", 1, 1, "passed"));
    expect(view.consent).toBeNull();
  });
});

describe("overrides and paths", () => {
  it("reads accounts and loops the way `qa run --accounts --loops` does", () => {
    expect(parseAccounts("  ")).toBeUndefined();
    expect(parseAccounts("install-1, install-2 acct_9")).toEqual(["install-1", "install-2", "acct_9"]);
    expect(parseLoops("")).toBeUndefined();
    expect(parseLoops(" 3 ")).toBe(3);
    for (const bad of ["0", "1.5", "10001", "x"]) expect(typeof parseLoops(bad)).toBe("string");
  });
});
