/** The QA screen's data: the project's flows, the recorder's status, and a run's lifecycle. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import type { QaFlowFile } from "../../bindings/QaFlowFile";
import type { QaRunResult, QaStartOptions, RecordStatus } from "../../api/backend";
import { useBackend } from "../../api/context";
import { toAppError, type AppError } from "../../api/errors";
import { EMPTY_RUN, foldProgress, type RunView } from "./progress";

export const qaKeys = {
  flows: (manifestPath: string) => ["qaFlows", manifestPath] as const,
  record: ["qaRecord"] as const,
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
  return useMutation<QaFlowFile, AppError, { path: string; name: string }>({
    mutationFn: ({ path, name }) => backend.qaRecordSave(path, name),
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

/** Starts a run, folds its progress as it arrives, waits for its result; cancel by run id. */
export function useQaRun() {
  const backend = useBackend();
  const [state, setState] = useState<RunState>(IDLE);
  const current = useRef<string | null>(null);

  const start = useCallback(
    async (options: QaStartOptions) => {
      setState({ ...IDLE, phase: "running" });
      let run: string;
      try {
        ({ run } = await backend.qaStart(options, (p) => setState((s) => ({ ...s, view: foldProgress(s.view, p) }))));
      } catch (e) {
        setState((s) => ({ ...s, phase: "failed", error: toAppError(e) }));
        return;
      }
      current.current = run;
      setState((s) => ({ ...s, run }));
      try {
        const result = await backend.qaWait(run);
        setState((s) => ({ ...s, phase: "finished", result, view: { ...s.view, current: null, consent: null } }));
      } catch (e) {
        setState((s) => ({ ...s, phase: "failed", error: toAppError(e) }));
      } finally {
        current.current = null;
      }
    },
    [backend],
  );

  const cancel = useCallback(async () => {
    const run = current.current;
    if (!run) return;
    setState((s) => ({ ...s, phase: "cancelling" }));
    await backend.qaCancel(run).catch(() => undefined);
  }, [backend]);

  return { state, start, cancel };
}
