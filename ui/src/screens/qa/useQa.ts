/** The QA screen's data: the project's flows, the recorder's status, and a run's lifecycle. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { QaFlowFile } from "../../bindings/QaFlowFile";
import type { QaRunResult } from "../../bindings/QaRunResult";
import type { QaStartOptions } from "../../bindings/QaStartOptions";
import type { RecordStatus } from "../../bindings/RecordStatus";
import { useBackend } from "../../api/context";
import { toAppError, type AppError } from "../../api/errors";
import { EMPTY_RUN, foldProgress, type RunView } from "./progress";

export const qaKeys = {
  flows: (manifestPath: string) => ["qaFlows", manifestPath] as const,
  record: ["qaRecord"] as const,
  /** The current run, kept in the cache so leaving the screen doesn't lose it. */
  run: ["qaRun"] as const,
};

export function useQaFlows(manifestPath: string) {
  const backend = useBackend();
  return useQuery<QaFlowFile[], AppError>({
    queryKey: qaKeys.flows(manifestPath),
    queryFn: () => backend.qaFlows(manifestPath),
    enabled: manifestPath !== "",
  });
}

export function useRecordStatus() {
  const backend = useBackend();
  // Polled: the Install and API screens append while the toggle is on.
  return useQuery<RecordStatus, AppError>({ queryKey: qaKeys.record, queryFn: () => backend.qaRecordStatus(), refetchInterval: 2000 });
}

export function useSetRecording() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<RecordStatus, AppError, boolean>({
    mutationFn: (on) => (on ? backend.qaRecordStart() : backend.qaRecordStop()),
    onSuccess: (status) => client.setQueryData(qaKeys.record, status),
  });
}

export function useSaveRecording(manifestPath: string) {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<QaFlowFile, AppError, string>({
    mutationFn: (name) => backend.qaRecordSave(manifestPath, name),
    onSuccess: () => client.invalidateQueries({ queryKey: qaKeys.flows(manifestPath) }),
  });
}

export type RunPhase = "idle" | "running" | "cancelling" | "finished" | "failed";

export interface RunState {
  phase: RunPhase;
  run: string | null;
  view: RunView;
  result: QaRunResult | null;
  error: AppError | null;
}

const IDLE: RunState = { phase: "idle", run: null, view: EMPTY_RUN, result: null, error: null };

/**
 * Starts a run, folds its progress as it arrives, waits for its result; cancel
 * by run id. The state lives in the query cache, not the component: a run
 * keeps going (and its result lands) while the user is on another screen.
 */
export function useQaRun() {
  const backend = useBackend();
  const client = useQueryClient();
  const { data: state } = useQuery<RunState>({ queryKey: qaKeys.run, queryFn: () => IDLE, initialData: IDLE, staleTime: Infinity, gcTime: Infinity });
  const update = useCallback((f: (s: RunState) => RunState) => client.setQueryData<RunState>(qaKeys.run, (s) => f(s ?? IDLE)), [client]);

  const start = useCallback(
    async (options: QaStartOptions) => {
      update(() => ({ ...IDLE, phase: "running" }));
      let run: string;
      try {
        ({ run } = await backend.qaStart(options, (p) => update((s) => ({ ...s, view: foldProgress(s.view, p) }))));
      } catch (e) {
        update((s) => ({ ...s, phase: "failed", error: toAppError(e) }));
        return;
      }
      update((s) => ({ ...s, run }));
      try {
        const result = await backend.qaWait(run);
        update((s) => ({ ...s, phase: "finished", result, view: { ...s.view, current: null, consent: null } }));
      } catch (e) {
        update((s) => ({ ...s, phase: "failed", error: toAppError(e) }));
      }
    },
    [backend, update],
  );

  const cancel = useCallback(async () => {
    const run = client.getQueryData<RunState>(qaKeys.run)?.run;
    if (!run) return;
    update((s) => ({ ...s, phase: "cancelling" }));
    await backend.qaCancel(run).catch(() => undefined);
  }, [backend, client, update]);

  return { state, start, cancel };
}
