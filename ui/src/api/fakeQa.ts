import type { QaFlowFile } from "../bindings/QaFlowFile";
import type { QaIteration } from "../bindings/QaIteration";
import type { QaProgress } from "../bindings/QaProgress";
import type { QaStepResult } from "../bindings/QaStepResult";
import type { QaReportKind } from "../bindings/QaReportKind";
import type { QaRunResult } from "../bindings/QaRunResult";
import type { QaStarted } from "../bindings/QaStarted";
import type { QaStartOptions } from "../bindings/QaStartOptions";
import type { RecordStatus } from "../bindings/RecordStatus";
import { AppError } from "./errors";

/** A flow the fake knows: its labels, and how a run of it behaves. */
export interface FakeFlow {
  path: string;
  name: string;
  steps: string[];
  accounts?: string[];
  loops?: number;
  /** 1-based step that fails in every loop, with this message. */
  failAt?: { step: number; message: string };
  /** The first install pauses at consent (a real account) until `approveConsent`. */
  consent?: boolean;
  /** A malformed flow's located error. */
  error?: string;
}

interface FakeRun {
  cancelled: boolean;
  approve: () => void;
  done: Promise<QaRunResult>;
}

const dirOf = (path: string) => path.slice(0, path.lastIndexOf("/")) || "/";

/** The QA runner and recorder of the in-memory backend: scripted runs over `flows`. */
export class FakeQa {
  readonly flows: FakeFlow[];
  readonly opened: { run: string; what: QaReportKind }[] = [];
  recording = false;
  journal: string[] = [];
  private readonly runs = new Map<string, FakeRun>();
  private readonly finished = new Set<string>();
  private seq = 0;

  constructor(
    flows: FakeFlow[],
    private readonly stepMs: number,
  ) {
    this.flows = flows;
  }

  private file(f: FakeFlow): QaFlowFile {
    return {
      path: f.path,
      file_name: f.path.slice(f.path.lastIndexOf("/") + 1),
      name: f.error ? null : f.name,
      description: null,
      steps: f.error ? 0 : f.steps.length,
      loops: f.error ? 0 : (f.loops ?? 1),
      accounts: f.error ? [] : (f.accounts ?? ["install-1"]),
      error: f.error ?? null,
    };
  }

  list(manifestPath: string): QaFlowFile[] {
    const dir = `${dirOf(manifestPath)}/flows`;
    return this.flows
      .filter((f) => dirOf(f.path) === dir)
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((f) => this.file(f));
  }

  describe(path: string): QaFlowFile {
    const f = this.flows.find((x) => x.path === path);
    if (!f) return { ...this.file({ path, name: "", steps: [] }), error: `${path}:1:1: cannot read the flow: No such file or directory` };
    return this.file(f);
  }

  start(options: QaStartOptions, onProgress: (p: QaProgress) => void): QaStarted {
    const flow = this.flows.find((f) => f.path === options.flow);
    if (!flow) throw new AppError("qa-flow-invalid", `${options.flow}:1:1: cannot read the flow: No such file or directory`);
    if (flow.error) throw new AppError("qa-flow-invalid", flow.error);
    const bad = options.accounts?.find((a) => !/^install-[1-9]\d*$|^acct_./.test(a));
    if (bad) throw new AppError("invalid-input", `"${bad}" is not an account: use install-N (the sandbox's Nth install account) or an account id acct_…`);
    const run = `qa_${++this.seq}`;
    const accounts = options.accounts?.length ? options.accounts : (flow.accounts ?? ["install-1"]);
    const loops = options.loops ?? flow.loops ?? 1;
    let approve: () => void = () => undefined;
    const consented = new Promise<void>((resolve) => {
      approve = resolve;
    });
    const state: FakeRun = { cancelled: false, approve: () => approve(), done: Promise.resolve() as unknown as Promise<QaRunResult> };
    const sleep = () => new Promise((r) => setTimeout(r, this.stepMs));
    state.done = (async () => {
      const iterations: QaIteration[] = [];
      const loopMs: number[] = [];
      let cancelled = false;
      let askedConsent = false;
      for (let loop = 1; loop <= loops && !cancelled; loop++) {
        for (const account of accounts) {
          if (state.cancelled) {
            cancelled = true;
            break;
          }
          const steps: QaStepResult[] = [];
          let blocked = false;
          for (const [i, label] of flow.steps.entries()) {
            const index = i + 1;
            const row = (outcome: QaStepResult["outcome"], duration_ms: number, message: string | null): QaStepResult => ({
              index, kind: label.split(" ")[0] ?? label, label, outcome, duration_ms, message, exchange: null,
            });
            if (blocked || state.cancelled) {
              steps.push(row(state.cancelled ? "cancelled" : "skipped", 0, null));
              continue;
            }
            onProgress({ kind: "step", data: { account, loop_index: loop, loops, index, steps: flow.steps.length, label } });
            if (flow.consent && index === 1 && !askedConsent) {
              askedConsent = true;
              onProgress({ kind: "consent", data: { account, url: "https://marketplace.stripe.com/oauth/v2/authorize?client_id=ca_fake&state=s" } });
              await Promise.race([consented, new Promise<void>((r) => { const t = setInterval(() => { if (state.cancelled) { clearInterval(t); r(); } }, 5); })]);
            }
            await sleep();
            const fails = flow.failAt?.step === index;
            const outcome = state.cancelled ? "cancelled" : fails ? "failed" : "passed";
            const message = outcome === "failed" ? (flow.failAt?.message ?? "failed") : null;
            const ms = 10 + index;
            onProgress({ kind: "step-done", data: { account, loop_index: loop, index, label, outcome, duration_ms: ms, message } });
            const result = row(outcome, ms, message);
            if (outcome === "failed") result.exchange = { request: `GET /v1/${label}`, request_lines: [], status: 400, response: '{"error":{"message":"masked"}}' };
            steps.push(result);
            blocked = outcome !== "passed";
          }
          iterations.push({ account, account_id: null, loop_index: loop, duration_ms: steps.reduce((s, x) => s + x.duration_ms, 0), steps });
          if (state.cancelled) {
            cancelled = true;
            break;
          }
        }
        loopMs.push(10 * flow.steps.length);
      }
      this.runs.delete(run);
      this.finished.add(run);
      const all = iterations.flatMap((it) => it.steps);
      const count = (o: string) => all.filter((s) => s.outcome === o).length;
      const totals = { steps: all.length, passed: count("passed"), failed: count("failed"), skipped: count("skipped"), cancelled: count("cancelled") };
      const dir = `${dirOf(dirOf(flow.path))}/qa-reports/${flow.path.slice(flow.path.lastIndexOf("/") + 1).replace(/\.ya?ml$/, "")}`;
      return {
        run,
        passed: !cancelled && totals.failed === 0 && totals.cancelled === 0,
        totals,
        report: {
          flow: flow.name, file: flow.path, started_at: "2026-11-22T02:30:00Z", duration_ms: loopMs.reduce((a, b) => a + b, 0),
          developer: "local", mode: "local", accounts, loops, step_labels: flow.steps, iterations, loop_durations_ms: loopMs,
          cancelled, stopped: false, notes: [],
        },
        files: { markdown: `${dir}/report.md`, svg: `${dir}/timings.svg`, junit: `${dir}/junit.xml` },
      };
    })();
    this.runs.set(run, state);
    return { run, report_dir: "" };
  }

  wait(run: string): Promise<QaRunResult> {
    const r = this.runs.get(run);
    if (!r) throw new AppError("invalid-input", `no QA run "${run}" is running`);
    return r.done;
  }

  cancel(run: string): void {
    const r = this.runs.get(run);
    if (r) r.cancelled = true;
  }

  /** Test hook: the user consented in the browser. */
  approveConsent(): void {
    for (const r of this.runs.values()) r.approve();
  }

  open(run: string, what: QaReportKind): void {
    if (!this.finished.has(run)) throw new AppError("invalid-input", `QA run "${run}" wrote no report in this session`);
    this.opened.push({ run, what });
  }

  status(): RecordStatus {
    return { recording: this.recording, steps: this.journal.length };
  }

  note(step: string): void {
    if (this.recording) this.journal.push(step);
  }

  save(path: string, name: string): QaFlowFile {
    if (this.journal.length === 0) {
      throw new AppError("invalid-input", "nothing recorded that a flow can replay: install the app (Install screen) and call the API as that install (API screen) while recording is on");
    }
    if (this.flows.some((f) => f.path === path)) throw new AppError("invalid-input", `${path} already exists; pick another name`);
    const flow: FakeFlow = { path, name, steps: [...this.journal] };
    this.flows.push(flow);
    this.journal = [];
    return this.file(flow);
  }
}
