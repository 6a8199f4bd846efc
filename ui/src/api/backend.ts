import type { AccountProfile } from "../bindings/AccountProfile";
import type { AccountsView } from "../bindings/AccountsView";
import type { AppCredentials } from "../bindings/AppCredentials";
import type { BackendOutcome } from "../bindings/BackendOutcome";
import type { ApiRequest } from "../bindings/ApiRequest";
import type { ApiResponse } from "../bindings/ApiResponse";
import type { DiffLine } from "../bindings/DiffLine";
import type { EditOutcome } from "../bindings/EditOutcome";
import type { Endpoint } from "../bindings/Endpoint";
import type { EventAdvice } from "../bindings/EventAdvice";
import type { HistoryEntry } from "../bindings/HistoryEntry";
import type { InstallCheck } from "../bindings/InstallCheck";
import type { InstallOutcome } from "../bindings/InstallOutcome";
import type { InstallRecord } from "../bindings/InstallRecord";
import type { KeychainStatus } from "../bindings/KeychainStatus";
import type { ManifestEdit } from "../bindings/ManifestEdit";
import type { ManifestState } from "../bindings/ManifestState";
import type { PermissionInfo } from "../bindings/PermissionInfo";
import type { ProjectInfo } from "../bindings/ProjectInfo";
import type { ProviderConfig } from "../bindings/ProviderConfig";
import type { ProviderLogin } from "../bindings/ProviderLogin";
import type { QaFlowFile } from "../bindings/QaFlowFile";
import type { QaProgress } from "../bindings/QaProgress";
import type { QaRunReport } from "../bindings/QaRunReport";
import type { QaTotals } from "../bindings/QaTotals";
import type { QaWritten } from "../bindings/QaWritten";
import type { ReleaseReport } from "../bindings/ReleaseReport";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import type { SecretList } from "../bindings/SecretList";
import type { SecretScope } from "../bindings/SecretScope";
import type { StoredSecret } from "../bindings/StoredSecret";
import type { TextCheck } from "../bindings/TextCheck";
import type { TimelineStep } from "../bindings/TimelineStep";

export type { SandboxStatus } from "../bindings/SandboxStatus";
export type { SandboxState } from "../bindings/SandboxState";

export interface OpenDialogOptions {
  /** Pick a folder (true) or a manifest file (false). */
  directory: boolean;
}

/** What `install_start` answers (docs/desktop-ipc.md): the flow handle and where the browser goes. */
export interface InstallStart {
  flow: string;
  authorizeUrl: string;
  redirectUri: string;
  /** False for an app backend's redirect URI: the user pastes the URL they landed on. */
  loopback: boolean;
  /** The app's backend completes the install: await it with `installWaitBackend`. */
  viaBackend: boolean;
}

export interface InstallStartOptions {
  account?: string;
  /** Undefined: core picks the default of the uploadable stripe-app.json. */
  redirectUri?: string;
  platform: boolean;
  /** The app's backend receives the redirect and exchanges the code; Appdeck confirms from Stripe's events. */
  viaBackend?: boolean;
  /** With `viaBackend`: the account the app goes into (`acct_…` or an account name), where Stripe lists the event. */
  into?: string;
  timeoutSecs?: number;
}

/** What `install_check` checks: the same choices as `install_start`. */
export interface InstallCheckOptions {
  account?: string;
  redirectUri?: string;
  platform: boolean;
  viaBackend: boolean;
  into?: string;
}

export interface InstallLinkOptions {
  account?: string;
  redirectUri?: string;
  platform: boolean;
}

/** Progress of `api_fetch_all`, sent on its channel after each page. */
export interface FetchProgress {
  count: number;
  pages: number;
}

export interface FetchAllResult {
  data: unknown[];
  /** False when it stopped early (the limit, a cancel, a failed page). */
  complete: boolean;
}

/** Signature tools: the secret travels with each call and is never stored. */
export interface SignStripeSignatureArgs {
  secret: string;
  payload: string;
  /** Unix seconds; now when absent. */
  timestamp?: number;
}

export interface VerifyStripeSignatureArgs {
  secret: string;
  header: string;
  payload: string;
  toleranceSecs?: number;
}

export interface VerifyInstallSignatureArgs {
  secret: string;
  installSignature: string;
  state: string;
  userId: string;
  accountId: string;
  toleranceSecs?: number;
}

export interface SignUiExtensionArgs {
  secret: string;
  userId: string;
  accountId: string;
  /** The extension's own payload: JSON object text, merged after user_id and account_id. */
  payload?: string;
  timestamp?: number;
}

/** What `qa_start` answers: the run's handle and where its reports go. */
export interface QaStarted {
  run: string;
  report_dir: string;
}

/** What `qa_wait` answers. */
export interface QaRunResult {
  run: string;
  passed: boolean;
  totals: QaTotals;
  report: QaRunReport;
  files: QaWritten;
}

export interface QaStartOptions {
  flow: string;
  manifestPath: string;
  /** Overrides the flow's accounts (`install-N` or `acct_…`). */
  accounts?: string[];
  /** Overrides the flow's loops. */
  loops?: number;
}

/** What a finished run wrote that the shell may open. */
export type QaReportKind = "markdown" | "junit" | "folder";

export interface RecordStatus {
  recording: boolean;
  steps: number;
}

/**
 * Everything the UI asks of the Rust core. Every method rejects with an `AppError`.
 * Implemented by `TauriBackend` (IPC) and `FakeBackend` (in memory: tests and plain browsers).
 * The command contract is docs/desktop-ipc.md.
 */
export interface Backend {
  launchProject(): Promise<ProjectInfo | null>;
  openProject(path: string): Promise<ProjectInfo>;
  recentProjects(): Promise<string[]>;
  /** Native folder/file picker; resolves null when cancelled. */
  openDialog(options: OpenDialogOptions): Promise<string | null>;
  /** Opens an https or loopback URL in the system browser (never a webview). */
  openUrl(url: string): Promise<void>;

  loadManifest(path: string): Promise<ManifestState>;
  /** Core's check of unsaved text: its diagnostics and the fields' view for the form. */
  validateManifestText(path: string, text: string): Promise<TextCheck>;
  previewEdit(path: string, text: string, edit: ManifestEdit): Promise<EditOutcome>;
  saveManifest(path: string, expectedRevision: string, text: string): Promise<ManifestState>;
  applyEditAndSave(path: string, expectedRevision: string, edit: ManifestEdit): Promise<ManifestState>;
  diskRevision(path: string): Promise<string | null>;
  diffTexts(oldText: string, newText: string): Promise<DiffLine[]>;
  /**
   * The release check of unsaved text (what `appdeck manifest validate --release` says), compared with
   * the manifest of the version last uploaded when `previousPath` names one (a path from `openDialog`;
   * the shell reads it).
   */
  manifestReleaseCheck(path: string, text: string, previousPath: string | null): Promise<ReleaseReport>;

  permissionCatalog(): Promise<PermissionInfo[]>;
  eventTypes(): Promise<string[]>;
  adviseEvents(path: string, text: string, events: string[]): Promise<EventAdvice[]>;

  // Embedded sandbox and keychain (issues 3, 4)
  sandboxStatus(): Promise<SandboxStatus>;
  sandboxSetAutoConsent(on: boolean): Promise<SandboxStatus>;
  keychainStatus(): Promise<KeychainStatus>;
  /** The user's explicit choice to keep secrets in memory for this session. */
  useSessionSecrets(): Promise<KeychainStatus>;
  retryKeychain(): Promise<KeychainStatus>;

  // Accounts, install flow, tokens, providers (issue 4)
  accountsList(): Promise<AccountsView>;
  /**
   * The only call that carries a secret from the UI; it never comes back. `sandbox`: the key belongs
   * to a Stripe sandbox (its prefix can't tell), so the profile's kind is `sandbox`.
   */
  accountsAdd(name: string, key: string, apiBase: string | undefined, skipCheck: boolean, sandbox?: boolean): Promise<AccountProfile>;
  /** Per app and mode: client id, channel link, whether a signing secret is known (`appdeck apps list`). */
  appsList(): Promise<AppCredentials[]>;
  /** `appdeck apps set`: core checks the ids; the signing secret goes to the keychain and never comes back. */
  appsSet(appId: string, live: boolean, clientId: string, channelLink?: string, signingSecret?: string): Promise<AppCredentials>;
  accountsRemove(name: string): Promise<AccountsView>;
  accountsUse(name: string): Promise<AccountsView>;
  installLink(options: InstallLinkOptions): Promise<string>;
  /** Core's pre-flight checklist for these choices (opens and writes nothing). */
  installCheck(options: InstallCheckOptions): Promise<InstallCheck>;
  /** Starts a flow and opens the system browser; each step arrives on `onStep` as it happens. */
  installStart(options: InstallStartOptions, onStep: (step: TimelineStep) => void): Promise<InstallStart>;
  installWait(flow: string): Promise<InstallOutcome>;
  /** Waits for Stripe's confirmation (the app's account.application.authorized) of a backend install. */
  installWaitBackend(flow: string): Promise<BackendOutcome>;
  /** A second signal for a backend install: the URL the browser landed on (never exchanged). */
  installBackendLanded(flow: string, url: string): Promise<void>;
  installCancel(flow: string): Promise<void>;
  installPasteUrl(flow: string, url: string): Promise<InstallOutcome>;
  installsList(): Promise<InstallRecord[]>;
  installRefresh(install: string): Promise<InstallRecord>;
  installForget(install: string): Promise<void>;
  providersList(): Promise<ProviderConfig[]>;
  providersAdd(config: ProviderConfig, clientSecret: string | undefined): Promise<ProviderConfig>;
  providersRemove(name: string): Promise<void>;
  providerLogin(name: string, timeoutSecs: number | undefined, onStep: (step: TimelineStep) => void): Promise<ProviderLogin>;
  providerRefresh(name: string): Promise<ProviderConfig>;
  dashboardRedirectUrls(appId: string): Promise<string[]>;

  // API console, Secret Store, signatures (issue 5)
  /** `callId` lets `apiCancel(callId)` end the call while it waits (it then rejects with `api-cancelled`). */
  apiSend(request: ApiRequest, callId?: string): Promise<ApiResponse>;
  /** Cancels the `apiSend` started with `callId`; one that ended is not an error. */
  apiCancel(callId: string): Promise<void>;
  apiNextPage(request: ApiRequest, response: ApiResponse): Promise<ApiRequest | null>;
  /** Starts fetching every page; resolves to a job handle for `apiFetchWait` / `apiFetchCancel`. */
  apiFetchAll(request: ApiRequest, max: number, onProgress: (progress: FetchProgress) => void): Promise<{ job: string }>;
  apiFetchWait(job: string): Promise<FetchAllResult>;
  apiFetchCancel(job: string): Promise<void>;
  apiHistory(search?: string): Promise<HistoryEntry[]>;
  apiCurl(request: ApiRequest, envVar?: string): Promise<string>;
  apiEndpoints(method: string | undefined, prefix: string): Promise<Endpoint[]>;
  /** The permission the manifest lacks for this route when called as an install, or null. */
  apiPrecheck(method: string, path: string, manifestPath: string): Promise<string | null>;
  apiMissingPermission(response: ApiResponse): Promise<string | null>;
  /** Locks or unlocks live-mode writes for this session; resolves to whether they are unlocked. */
  liveWrites(unlock: boolean): Promise<boolean>;
  /** The Secret Store as the install: core builds and sends each call; Stripe's refusal rejects `api-error`. */
  secretsList(install: string, scope: SecretScope): Promise<SecretList>;
  /** The secret with its payload (the user asked to see it). */
  secretsFind(install: string, scope: SecretScope, name: string): Promise<StoredSecret>;
  /** Creates or replaces; the payload goes to core and is never echoed. `expiresAt`: Unix seconds. */
  secretsSet(install: string, scope: SecretScope, name: string, payload: string, expiresAt?: number): Promise<StoredSecret>;
  secretsDelete(install: string, scope: SecretScope, name: string): Promise<StoredSecret>;
  /** A `Stripe-Signature` header (`t=…,v1=…`). */
  signStripeSignature(args: SignStripeSignatureArgs): Promise<string>;
  /** Resolves to the signature's timestamp; rejects `signature-mismatch`, `signature-expired` or `invalid-input`. */
  verifyStripeSignature(args: VerifyStripeSignatureArgs): Promise<number>;
  /** The header a UI extension's `fetchStripeSignature()` sends. */
  signUiExtension(args: SignUiExtensionArgs): Promise<string>;
  /** Resolves to the signature's timestamp; rejects like `verifyStripeSignature`. */
  verifyInstallSignature(args: VerifyInstallSignatureArgs): Promise<number>;

  // QA flow runner and recorder (issue 6)
  /** The flows in `flows/` beside the manifest (a malformed one carries its located error). */
  qaFlows(manifestPath: string): Promise<QaFlowFile[]>;
  qaFlowFile(path: string): Promise<QaFlowFile>;
  /** Starts a run; each progress event arrives on `onProgress` as it happens. */
  qaStart(options: QaStartOptions, onProgress: (progress: QaProgress) => void): Promise<QaStarted>;
  qaWait(run: string): Promise<QaRunResult>;
  qaCancel(run: string): Promise<void>;
  /** Opens a file a finished run wrote (the shell looks it up by run; the UI passes no path). */
  qaOpenReport(run: string, what: QaReportKind): Promise<void>;
  /** Starts a new recording of the Install and API screens' steps (the old one is dropped). */
  qaRecordStart(): Promise<RecordStatus>;
  qaRecordStop(): Promise<RecordStatus>;
  qaRecordStatus(): Promise<RecordStatus>;
  /** Saves the recorded steps as a flow at `path` (never over an existing file). */
  /** Saves the recording as `flows/<name as a file name>.yaml` beside the manifest (the shell names the file). */
  qaRecordSave(manifestPath: string, name: string): Promise<QaFlowFile>;

  /** Tells the shell the first screen is mounted (it logs startup time); resolves to ms since start. */
  uiReady(): Promise<number>;
}
