/** One hook per use case. Mutations update or invalidate exactly the queries they change. */
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { ManifestEdit } from "../bindings/ManifestEdit";
import type { ManifestState } from "../bindings/ManifestState";
import { useBackend } from "./context";
import type { AppError } from "./errors";

export const DISK_POLL_MS = 1000;

export const keys = {
  launchProject: ["launchProject"] as const,
  recentProjects: ["recentProjects"] as const,
  manifest: (path: string) => ["manifest", path] as const,
  diskRevision: (path: string) => ["diskRevision", path] as const,
  permissionCatalog: ["permissionCatalog"] as const,
  eventTypes: ["eventTypes"] as const,
  adviseEvents: (path: string) => ["adviseEvents", path] as const,
  sandboxStatus: ["sandboxStatus"] as const,
};

export function useLaunchProject() {
  const backend = useBackend();
  return useQuery({ queryKey: keys.launchProject, queryFn: () => backend.launchProject(), staleTime: Infinity });
}

export function useRecentProjects() {
  const backend = useBackend();
  return useQuery({ queryKey: keys.recentProjects, queryFn: () => backend.recentProjects() });
}

export function useOpenProject() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (path: string) => backend.openProject(path),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.recentProjects }),
  });
}

export function useManifest(path: string) {
  const backend = useBackend();
  return useQuery<ManifestState, AppError>({ queryKey: keys.manifest(path), queryFn: () => backend.loadManifest(path) });
}

/** Polls the file's revision so outside edits (an editor, the Stripe CLI) are noticed. */
export function useDiskRevision(path: string, enabled = true) {
  const backend = useBackend();
  return useQuery<string | null, AppError>({
    queryKey: keys.diskRevision(path),
    queryFn: () => backend.diskRevision(path),
    refetchInterval: DISK_POLL_MS,
    refetchIntervalInBackground: false,
    enabled,
  });
}

export function usePermissionCatalog() {
  const backend = useBackend();
  return useQuery<Awaited<ReturnType<typeof backend.permissionCatalog>>, AppError>({
    queryKey: keys.permissionCatalog,
    queryFn: () => backend.permissionCatalog(),
    staleTime: Infinity,
  });
}

export function useEventTypes() {
  const backend = useBackend();
  return useQuery<string[], AppError>({ queryKey: keys.eventTypes, queryFn: () => backend.eventTypes(), staleTime: Infinity });
}

export function useAdviseEvents(path: string, text: string | undefined, events: string[]) {
  const backend = useBackend();
  return useQuery({
    queryKey: [...keys.adviseEvents(path), text, events] as const,
    queryFn: () => backend.adviseEvents(path, text ?? "", events),
    enabled: text !== undefined && events.length > 0,
  });
}

export function useSandboxStatus() {
  const backend = useBackend();
  return useQuery({
    queryKey: keys.sandboxStatus,
    queryFn: () => backend.sandboxStatus(),
    // A missing command (older shell) fails every time: ask again rarely.
    refetchInterval: (query) => (query.state.status === "error" ? 30_000 : 5_000),
    retry: false,
  });
}

/** After any write: the manifest, its disk revision and event advice are stale. */
export function manifestWritten(client: QueryClient, state: ManifestState): Promise<void> {
  const path = state.document.path;
  client.setQueryData(keys.manifest(path), state);
  client.setQueryData(keys.diskRevision(path), state.document.revision);
  return client.invalidateQueries({ queryKey: keys.adviseEvents(path) });
}

/** One-step edit written to disk at once, like `stripe apps grant`. */
export function useApplyEditAndSave(path: string) {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<ManifestState, AppError, { expectedRevision: string; edit: ManifestEdit }>({
    mutationFn: ({ expectedRevision, edit }) => backend.applyEditAndSave(path, expectedRevision, edit),
    onSuccess: (state) => manifestWritten(client, state),
    onError: () => client.invalidateQueries({ queryKey: keys.manifest(path) }),
  });
}

export function useSaveManifest(path: string) {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<ManifestState, AppError, { expectedRevision: string; text: string }>({
    mutationFn: ({ expectedRevision, text }) => backend.saveManifest(path, expectedRevision, text),
    onSuccess: (state) => manifestWritten(client, state),
  });
}

declare module "@tanstack/react-query" {
  interface Register {
    defaultError: AppError;
  }
}
