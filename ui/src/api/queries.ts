/** One hook per use case. Mutations update or invalidate exactly the queries they change. */
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback, useRef } from "react";
import type { AccountProfile } from "../bindings/AccountProfile";
import type { AccountsView } from "../bindings/AccountsView";
import type { AppCredentials } from "../bindings/AppCredentials";
import type { ApiRequest } from "../bindings/ApiRequest";
import type { ApiResponse } from "../bindings/ApiResponse";
import type { InstallCheck } from "../bindings/InstallCheck";
import type { InstallRecord } from "../bindings/InstallRecord";
import type { KeychainStatus } from "../bindings/KeychainStatus";
import type { ManifestEdit } from "../bindings/ManifestEdit";
import type { ManifestState } from "../bindings/ManifestState";
import type { ProviderConfig } from "../bindings/ProviderConfig";
import type { ReleaseReport } from "../bindings/ReleaseReport";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import type { InstallCheckOptions } from "../bindings/InstallCheckOptions";
import type { InstallLinkOptions } from "../bindings/InstallLinkOptions";
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
  keychainStatus: ["keychainStatus"] as const,
  accounts: ["accounts"] as const,
  apps: ["apps"] as const,
  installLink: (options: InstallLinkOptions) => ["installLink", options] as const,
  installCheck: (options: InstallCheckOptions) => ["installCheck", options] as const,
  installs: ["installs"] as const,
  providers: ["providers"] as const,
  dashboardRedirectUrls: (appId: string) => ["dashboardRedirectUrls", appId] as const,
  apiHistory: (search: string) => ["apiHistory", search] as const,
  apiEndpoints: (method: string, prefix: string) => ["apiEndpoints", method, prefix] as const,
  apiPrecheck: (method: string, path: string, manifestPath: string) => ["apiPrecheck", method, path, manifestPath] as const,
  releaseCheck: (path: string, text: string, previousPath: string | null) => ["releaseCheck", path, text, previousPath] as const,
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
    // The opened project's app becomes the embedded sandbox's app: what is
    // shown about the sandbox and its install links changes with it.
    onSuccess: () =>
      Promise.all(
        [keys.recentProjects, keys.sandboxStatus, ["installLink"], ["installCheck"], keys.installs].map((queryKey) =>
          client.invalidateQueries({ queryKey }),
        ),
      ),
  });
}

export function useManifest(path: string, enabled = true) {
  const backend = useBackend();
  return useQuery<ManifestState, AppError>({ queryKey: keys.manifest(path), queryFn: () => backend.loadManifest(path), enabled: enabled && path !== "" });
}

/** The release check of the editor's text, against the previous version's manifest when one is chosen. */
export function useReleaseCheck(path: string, text: string, previousPath: string | null, enabled = true) {
  const backend = useBackend();
  return useQuery<ReleaseReport, AppError>({
    queryKey: keys.releaseCheck(path, text, previousPath),
    queryFn: () => backend.manifestReleaseCheck(path, text, previousPath),
    enabled: enabled && path !== "",
    // Keep the last answer on screen while the next one (after typing) is computed.
    placeholderData: (previous) => previous,
  });
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

export function useSetAutoConsent() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<SandboxStatus, AppError, boolean>({
    mutationFn: (on) => backend.sandboxSetAutoConsent(on),
    onSuccess: (status) => client.setQueryData(keys.sandboxStatus, status),
  });
}

export function useKeychainStatus() {
  const backend = useBackend();
  return useQuery<KeychainStatus, AppError>({
    queryKey: keys.keychainStatus,
    queryFn: () => backend.keychainStatus(),
    refetchInterval: (query) => (query.state.status === "error" ? 30_000 : 15_000),
    retry: false,
  });
}

/** `use_session_secrets` and `retry_keychain` both answer the new status. */
export function useKeychainChoice() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<KeychainStatus, AppError, "session" | "retry">({
    mutationFn: (choice) => (choice === "session" ? backend.useSessionSecrets() : backend.retryKeychain()),
    onSuccess: (status) => client.setQueryData(keys.keychainStatus, status),
  });
}

export function useAccounts() {
  const backend = useBackend();
  return useQuery<AccountsView, AppError>({ queryKey: keys.accounts, queryFn: () => backend.accountsList() });
}

/** The current account's profile, for the mode badge and defaults. */
export function useCurrentAccount(): AccountProfile | null {
  const accounts = useAccounts();
  const view = accounts.data;
  return view?.accounts.find((a) => a.name === view.current) ?? null;
}

export interface AddAccountInput {
  name: string;
  key: string;
  apiBase?: string;
  skipCheck: boolean;
  /** The key belongs to a Stripe sandbox (sk_test_… like test mode; only the user knows). */
  sandbox?: boolean;
}

export function useAddAccount() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<AccountProfile, AppError, AddAccountInput>({
    mutationFn: ({ name, key, apiBase, skipCheck, sandbox }) => backend.accountsAdd(name, key, apiBase, skipCheck, sandbox ?? false),
    onSuccess: () => Promise.all([keys.accounts, ["installCheck"]].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

export function useApps() {
  const backend = useBackend();
  return useQuery<AppCredentials[], AppError>({ queryKey: keys.apps, queryFn: () => backend.appsList() });
}

export interface SetAppInput {
  appId: string;
  live: boolean;
  clientId: string;
  channelLink?: string;
  signingSecret?: string;
}

export function useSetApp() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<AppCredentials, AppError, SetAppInput>({
    mutationFn: ({ appId, live, clientId, channelLink, signingSecret }) => backend.appsSet(appId, live, clientId, channelLink, signingSecret),
    onSuccess: () => Promise.all([keys.apps, ["installCheck"]].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

export function useRemoveAccount() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<AccountsView, AppError, string>({
    mutationFn: (name) => backend.accountsRemove(name),
    onSuccess: (view) => {
      client.setQueryData(keys.accounts, view);
      void client.invalidateQueries({ queryKey: ["installCheck"] });
    },
  });
}

export function useSwitchAccount() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<AccountsView, AppError, string>({
    mutationFn: (name) => backend.accountsUse(name),
    onSuccess: (view) => {
      client.setQueryData(keys.accounts, view);
      void client.invalidateQueries({ queryKey: ["installLink"] });
      void client.invalidateQueries({ queryKey: ["installCheck"] });
    },
  });
}

export function useInstallLink(options: InstallLinkOptions, enabled = true) {
  const backend = useBackend();
  return useQuery<string, AppError>({ queryKey: keys.installLink(options), queryFn: () => backend.installLink(options), enabled, retry: false });
}

/** Core's pre-flight checklist for the Install screen's choices; refetch to refresh it. */
export function useInstallCheck(options: InstallCheckOptions, enabled = true) {
  const backend = useBackend();
  return useQuery<InstallCheck, AppError>({ queryKey: keys.installCheck(options), queryFn: () => backend.installCheck(options), enabled, retry: false });
}

export function useInstalls() {
  const backend = useBackend();
  return useQuery<InstallRecord[], AppError>({ queryKey: keys.installs, queryFn: () => backend.installsList() });
}

export function useRefreshInstall() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<InstallRecord, AppError, string>({
    mutationFn: (install) => backend.installRefresh(install),
    onSettled: () => client.invalidateQueries({ queryKey: keys.installs }),
  });
}

export function useForgetInstall() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<unknown, AppError, string>({
    mutationFn: (install) => backend.installForget(install),
    // The checklist's "already installed" line may go with it.
    onSuccess: () => Promise.all([keys.installs, ["installCheck"]].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

export function useProviders() {
  const backend = useBackend();
  return useQuery<ProviderConfig[], AppError>({ queryKey: keys.providers, queryFn: () => backend.providersList() });
}

export function useAddProvider() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<ProviderConfig, AppError, { config: ProviderConfig; clientSecret?: string }>({
    mutationFn: ({ config, clientSecret }) => backend.providersAdd(config, clientSecret),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.providers }),
  });
}

export function useRemoveProvider() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<unknown, AppError, string>({
    mutationFn: (name) => backend.providersRemove(name),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.providers }),
  });
}

export function useRefreshProvider() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<ProviderConfig, AppError, string>({
    mutationFn: (name) => backend.providerRefresh(name),
    onSettled: () => client.invalidateQueries({ queryKey: keys.providers }),
  });
}

export function useDashboardRedirectUrls(appId: string) {
  const backend = useBackend();
  return useQuery<string[], AppError>({
    queryKey: keys.dashboardRedirectUrls(appId),
    queryFn: () => backend.dashboardRedirectUrls(appId),
    enabled: appId !== "",
    staleTime: Infinity,
  });
}

export function useApiHistory(search: string) {
  const backend = useBackend();
  return useQuery({ queryKey: keys.apiHistory(search), queryFn: () => backend.apiHistory(search || undefined) });
}

export function useApiEndpoints(method: string, prefix: string) {
  const backend = useBackend();
  return useQuery({ queryKey: keys.apiEndpoints(method, prefix), queryFn: () => backend.apiEndpoints(method || undefined, prefix), staleTime: Infinity });
}

export function useApiPrecheck(method: string, path: string, manifestPath: string, enabled: boolean) {
  const backend = useBackend();
  return useQuery({
    queryKey: keys.apiPrecheck(method, path, manifestPath),
    queryFn: () => backend.apiPrecheck(method, path, manifestPath),
    enabled: enabled && path.startsWith("/") && manifestPath !== "",
    retry: false,
  });
}

/** Ids of `api_send` calls: unique also across reloads of the page (the shell outlives them). */
let callSeq = 0;
const callPrefix = `call_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** Sends a call (with an id, so `cancel` can end it while it waits); the history gains an entry. */
export function useApiSend() {
  const backend = useBackend();
  const client = useQueryClient();
  const current = useRef<string | null>(null);
  const mutation = useMutation<ApiResponse, AppError, ApiRequest>({
    mutationFn: (request) => {
      callSeq += 1;
      const callId = `${callPrefix}_${callSeq}`;
      current.current = callId;
      return backend.apiSend(request, callId).finally(() => {
        if (current.current === callId) current.current = null;
      });
    },
    onSettled: () => client.invalidateQueries({ queryKey: ["apiHistory"] }),
  });
  const cancel = useCallback(() => {
    if (current.current) void backend.apiCancel(current.current);
  }, [backend]);
  return { ...mutation, cancel };
}

/** Whether live-mode writes are unlocked for this session (the UI's view; starts locked). */
export function useLiveWrites() {
  const backend = useBackend();
  const client = useQueryClient();
  const state = useQuery({ queryKey: ["liveWrites"], queryFn: () => false, initialData: false, staleTime: Infinity });
  const change = useMutation<boolean, AppError, boolean>({
    mutationFn: (unlock) => backend.liveWrites(unlock),
    onSuccess: (unlocked) => client.setQueryData(["liveWrites"], unlocked),
  });
  return { unlocked: state.data, change };
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
