/**
 * Long-running flows (the install flow, a provider login, fetch-all) live outside components,
 * one store per backend, so leaving the screen doesn't lose a running flow or its timeline.
 */
import type { QueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import type { BackendOutcome } from "../bindings/BackendOutcome";
import type { InstallOutcome } from "../bindings/InstallOutcome";
import type { InstallStart } from "../bindings/InstallStart";
import type { InstallStartOptions } from "../bindings/InstallStartOptions";
import type { ProviderLogin } from "../bindings/ProviderLogin";
import type { TimelineStep } from "../bindings/TimelineStep";
import type { Backend } from "./backend";
import { useBackend } from "./context";
import { toAppError, type AppError } from "./errors";
import { keys } from "./queries";

export type FlowPhase = "idle" | "starting" | "running" | "succeeded" | "failed";

export interface FlowState<T> {
  phase: FlowPhase;
  steps: TimelineStep[];
  start: InstallStart | null;
  outcome: T | null;
  error: AppError | null;
}

const idle = <T>(): FlowState<T> => ({ phase: "idle", steps: [], start: null, outcome: null, error: null });

class Store<T> {
  private state: FlowState<T> = idle<T>();
  private listeners = new Set<() => void>();
  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  get = () => this.state;
  set(patch: Partial<FlowState<T>>) {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }
  addStep(step: TimelineStep) {
    this.set({ steps: [...this.state.steps, step] });
  }
  reset() {
    this.state = idle<T>();
    for (const fn of this.listeners) fn();
  }
}

/** How an install flow ended: Appdeck's own (tokens held) or confirmed from Stripe's events for the app's backend. */
export type InstallFlowOutcome = InstallOutcome | BackendOutcome;

/** The outcome of an install the app's backend completed (no tokens: the backend holds them). */
export function isBackendOutcome(outcome: InstallFlowOutcome): outcome is BackendOutcome {
  return "event" in outcome.install;
}

interface Stores {
  install: Store<InstallFlowOutcome>;
  login: Store<ProviderLogin>;
  /** The running login's id (the shell's job handle), for its cancel. */
  loginId: { current: string | null; seq: number };
}

const stores = new WeakMap<Backend, Stores>();

function storesOf(backend: Backend): Stores {
  let s = stores.get(backend);
  if (!s) {
    s = { install: new Store(), login: new Store(), loginId: { current: null, seq: 0 } };
    stores.set(backend, s);
  }
  return s;
}

export interface InstallFlow {
  state: FlowState<InstallFlowOutcome>;
  /** Starts a flow (`via_backend`: confirmed from Stripe's events) and waits for its end. */
  run: (options: InstallStartOptions) => Promise<void>;
  cancel: () => Promise<void>;
  /**
   * The URL the browser landed on. Finishes a non-loopback flow (rejects on a bad URL; the flow goes on);
   * for a backend install it is only a second signal, handed to the waiting flow (its verdict shows on the timeline).
   */
  paste: (url: string) => Promise<void>;
  reset: () => void;
}

export function useInstallFlow(client: QueryClient): InstallFlow {
  const backend = useBackend();
  const store = storesOf(backend).install;
  const state = useSyncExternalStore(store.subscribe, store.get);
  const finished = (outcome: InstallFlowOutcome) => {
    store.set({ phase: "succeeded", outcome, steps: outcome.timeline.length >= store.get().steps.length ? outcome.timeline : store.get().steps });
    void client.invalidateQueries({ queryKey: keys.installs });
    void client.invalidateQueries({ queryKey: ["installCheck"] });
  };
  return {
    state,
    run: async (options) => {
      store.set({ phase: "starting", steps: [], start: null, outcome: null, error: null });
      try {
        const start = await backend.installStart(options, (step) => store.addStep(step));
        store.set({ phase: "running", start });
        // Nothing listens on a redirect URI that isn't loopback: the URL the user pastes finishes
        // the flow (`paste`), and the shell refuses `install_wait` for it.
        if (!start.loopback && !start.via_backend) return;
        finished(await (start.via_backend ? backend.installWaitBackend(start.flow) : backend.installWait(start.flow)));
      } catch (e) {
        // A pasted URL may have finished the flow meanwhile.
        if (store.get().phase !== "succeeded") store.set({ phase: "failed", error: toAppError(e) });
      }
    },
    cancel: async () => {
      const flow = store.get().start?.flow;
      if (flow) await backend.installCancel(flow);
    },
    paste: async (url) => {
      const start = store.get().start;
      if (!start) return;
      if (start.via_backend) await backend.installBackendLanded(start.flow, url);
      else finished(await backend.installPasteUrl(start.flow, url));
    },
    reset: () => store.reset(),
  };
}

export interface LoginFlow {
  state: FlowState<ProviderLogin>;
  run: (name: string, timeoutSecs?: number) => Promise<void>;
  /** Ends the running login (it fails with `oauth-cancelled`); nothing when none runs. */
  cancel: () => Promise<void>;
  reset: () => void;
}

export function useProviderLogin(client: QueryClient): LoginFlow {
  const backend = useBackend();
  const stores = storesOf(backend);
  const store = stores.login;
  const state = useSyncExternalStore(store.subscribe, store.get);
  return {
    state,
    run: async (name, timeoutSecs) => {
      // The shell keeps the login as a job under this id until it returns.
      const id = `login_${Date.now().toString(36)}_${++stores.loginId.seq}`;
      stores.loginId.current = id;
      store.set({ phase: "running", steps: [], start: null, outcome: null, error: null });
      try {
        const outcome = await backend.providerLogin(name, timeoutSecs, id, (step) => store.addStep(step));
        store.set({ phase: "succeeded", outcome });
        void client.invalidateQueries({ queryKey: keys.providers });
      } catch (e) {
        store.set({ phase: "failed", error: toAppError(e) });
      } finally {
        if (stores.loginId.current === id) stores.loginId.current = null;
      }
    },
    cancel: async () => {
      const id = stores.loginId.current;
      if (id) await backend.providerLoginCancel(id);
    },
    reset: () => store.reset(),
  };
}
