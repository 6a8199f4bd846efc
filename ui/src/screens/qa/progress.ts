/**
 * What the QA screen shows while a run goes, folded from the runner's progress
 * events (core's `qa::run::Progress`, in the order they happen): where the run
 * is (account, loop i/N, step i/N), each finished step with its outcome and
 * time, the consent URL while a real account waits for the user, and notes.
 */
import type { QaOutcome } from "../../bindings/QaOutcome";
import type { QaProgress } from "../../bindings/QaProgress";

export interface DoneStep {
  account: string;
  loop: number;
  index: number;
  label: string;
  outcome: QaOutcome;
  durationMs: number;
  message: string | null;
}

export interface RunView {
  current: { account: string; loop: number; loops: number; index: number; steps: number; label: string } | null;
  done: DoneStep[];
  /** Set while a real account waits at consent; cleared when its install step ends. */
  consent: { account: string; url: string } | null;
  notes: string[];
}

export const EMPTY_RUN: RunView = { current: null, done: [], consent: null, notes: [] };

export function foldProgress(view: RunView, p: QaProgress): RunView {
  switch (p.kind) {
    case "step":
      return {
        ...view,
        current: { account: p.data.account, loop: p.data.loop_index, loops: p.data.loops, index: p.data.index, steps: p.data.steps, label: p.data.label },
      };
    case "step-done": {
      const d = p.data;
      const step: DoneStep = { account: d.account, loop: d.loop_index, index: d.index, label: d.label, outcome: d.outcome, durationMs: d.duration_ms, message: d.message };
      const consent = view.consent && view.consent.account === d.account ? null : view.consent;
      return { ...view, done: [...view.done, step], consent };
    }
    case "consent":
      return { ...view, consent: { account: p.data.account, url: p.data.url } };
    case "note":
      return { ...view, notes: [...view.notes, p.data] };
  }
}

/** Counts of the finished steps, for the live summary line. */
export function tally(done: DoneStep[]): Record<QaOutcome, number> {
  const t: Record<QaOutcome, number> = { passed: 0, failed: 0, skipped: 0, cancelled: 0 };
  for (const s of done) t[s.outcome] += 1;
  return t;
}

/** `--accounts`-style text (`install-1, install-2`) as a list; empty keeps the flow's. */
export function parseAccounts(text: string): string[] | undefined {
  const list = text.split(/[\s,]+/).map((a) => a.trim()).filter(Boolean);
  return list.length ? list : undefined;
}

/** Loops text as a number from 1 to 10000; empty keeps the flow's; anything else is an error message. */
export function parseLoops(text: string): number | undefined | string {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  if (!Number.isInteger(n) || n < 1 || n > 10000) return "Loops must be a whole number from 1 to 10000.";
  return n;
}
