import { Channel, invoke } from "@tauri-apps/api/core";
import { open } from "@tauri-apps/plugin-dialog";
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
import type { ReleaseReport } from "../bindings/ReleaseReport";
import type { SecretList } from "../bindings/SecretList";
import type { SecretScope } from "../bindings/SecretScope";
import type { StoredSecret } from "../bindings/StoredSecret";
import type { TextCheck } from "../bindings/TextCheck";
import type { TimelineStep } from "../bindings/TimelineStep";
import type {
  Backend,
  FetchAllResult,
  FetchProgress,
  InstallCheckOptions,
  InstallLinkOptions,
  InstallStart,
  InstallStartOptions,
  OpenDialogOptions,
  QaReportKind,
  QaRunResult,
  QaStarted,
  QaStartOptions,
  RecordStatus,
  SandboxStatus,
  SignStripeSignatureArgs,
  SignUiExtensionArgs,
  VerifyInstallSignatureArgs,
  VerifyStripeSignatureArgs,
} from "./backend";
import { toAppError } from "./errors";

/** Invoke a command; a rejection (an `ErrorPayload` from Rust) becomes an `AppError`. */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toAppError(raw);
  }
}

export class TauriBackend implements Backend {
  launchProject() {
    return call<ProjectInfo | null>("launch_project");
  }
  openProject(path: string) {
    return call<ProjectInfo>("open_project", { path });
  }
  recentProjects() {
    return call<string[]>("recent_projects");
  }
  async openDialog(options: OpenDialogOptions): Promise<string | null> {
    try {
      const picked = await open(
        options.directory
          ? { directory: true, multiple: false, title: "Open a Stripe App folder" }
          : {
              directory: false,
              multiple: false,
              title: "Open a Stripe App manifest",
              filters: [{ name: "Stripe App manifest", extensions: ["json"] }],
            },
      );
      return typeof picked === "string" ? picked : null;
    } catch (raw) {
      throw toAppError(raw);
    }
  }
  async openUrl(url: string): Promise<void> {
    // The opener plugin's command; the capability limits it to https and loopback URLs.
    await call<undefined>("plugin:opener|open_url", { url });
  }
  loadManifest(path: string) {
    return call<ManifestState>("load_manifest", { path });
  }
  validateManifestText(path: string, text: string) {
    return call<TextCheck>("validate_manifest_text", { path, text });
  }
  manifestReleaseCheck(path: string, text: string, previousPath: string | null) {
    return call<ReleaseReport>("manifest_release_check", { path, text, previousPath });
  }
  previewEdit(path: string, text: string, edit: ManifestEdit) {
    return call<EditOutcome>("preview_edit", { path, text, edit });
  }
  saveManifest(path: string, expectedRevision: string, text: string) {
    return call<ManifestState>("save_manifest", { path, expectedRevision, text });
  }
  applyEditAndSave(path: string, expectedRevision: string, edit: ManifestEdit) {
    return call<ManifestState>("apply_edit_and_save", { path, expectedRevision, edit });
  }
  diskRevision(path: string) {
    return call<string | null>("disk_revision", { path });
  }
  diffTexts(oldText: string, newText: string) {
    return call<DiffLine[]>("diff_texts", { old: oldText, new: newText });
  }
  permissionCatalog() {
    return call<PermissionInfo[]>("permission_catalog");
  }
  eventTypes() {
    return call<string[]>("event_types");
  }
  adviseEvents(path: string, text: string, events: string[]) {
    return call<EventAdvice[]>("advise_events", { path, text, events });
  }
  sandboxStatus() {
    return call<SandboxStatus>("sandbox_status");
  }
  sandboxSetAutoConsent(on: boolean) {
    return call<SandboxStatus>("sandbox_set_auto_consent", { on });
  }
  keychainStatus() {
    return call<KeychainStatus>("keychain_status");
  }
  useSessionSecrets() {
    return call<KeychainStatus>("use_session_secrets");
  }
  retryKeychain() {
    return call<KeychainStatus>("retry_keychain");
  }

  accountsList() {
    return call<AccountsView>("accounts_list");
  }
  accountsAdd(name: string, key: string, apiBase: string | undefined, skipCheck: boolean, sandbox = false) {
    return call<AccountProfile>("accounts_add", { name, key, apiBase, skipCheck, sandbox });
  }
  appsList() {
    return call<AppCredentials[]>("apps_list");
  }
  appsSet(appId: string, live: boolean, clientId: string, channelLink?: string, signingSecret?: string) {
    return call<AppCredentials>("apps_set", { appId, live, clientId, channelLink, signingSecret });
  }
  accountsRemove(name: string) {
    return call<AccountsView>("accounts_remove", { name });
  }
  accountsUse(name: string) {
    return call<AccountsView>("accounts_use", { name });
  }
  installLink(options: InstallLinkOptions) {
    return call<string>("install_link", { account: options.account, redirectUri: options.redirectUri, platform: options.platform });
  }
  installCheck(options: InstallCheckOptions) {
    return call<InstallCheck>("install_check", {
      account: options.account,
      redirectUri: options.redirectUri,
      platform: options.platform,
      viaBackend: options.viaBackend,
      into: options.into,
    });
  }
  installStart(options: InstallStartOptions, onStep: (step: TimelineStep) => void) {
    const channel = new Channel<TimelineStep>(onStep);
    return call<InstallStart>("install_start", {
      account: options.account,
      redirectUri: options.redirectUri,
      platform: options.platform,
      viaBackend: options.viaBackend ?? false,
      into: options.into,
      timeoutSecs: options.timeoutSecs,
      onStep: channel,
    });
  }
  installWait(flow: string) {
    return call<InstallOutcome>("install_wait", { flow });
  }
  installWaitBackend(flow: string) {
    return call<BackendOutcome>("install_wait_backend", { flow });
  }
  async installBackendLanded(flow: string, url: string): Promise<void> {
    await call<undefined>("install_backend_landed", { flow, url });
  }
  async installCancel(flow: string): Promise<void> {
    await call<undefined>("install_cancel", { flow });
  }
  installPasteUrl(flow: string, url: string) {
    return call<InstallOutcome>("install_paste_url", { flow, url });
  }
  installsList() {
    return call<InstallRecord[]>("installs_list");
  }
  installRefresh(install: string) {
    return call<InstallRecord>("install_refresh", { install });
  }
  async installForget(install: string): Promise<void> {
    await call<undefined>("install_forget", { install });
  }
  providersList() {
    return call<ProviderConfig[]>("providers_list");
  }
  providersAdd(config: ProviderConfig, clientSecret: string | undefined) {
    return call<ProviderConfig>("providers_add", { config, clientSecret });
  }
  async providersRemove(name: string): Promise<void> {
    await call<undefined>("providers_remove", { name });
  }
  providerLogin(name: string, timeoutSecs: number | undefined, onStep: (step: TimelineStep) => void) {
    const channel = new Channel<TimelineStep>(onStep);
    return call<ProviderLogin>("provider_login", { name, timeoutSecs, onStep: channel });
  }
  providerRefresh(name: string) {
    return call<ProviderConfig>("provider_refresh", { name });
  }
  dashboardRedirectUrls(appId: string) {
    return call<string[]>("dashboard_redirect_urls", { appId });
  }

  apiSend(request: ApiRequest, callId?: string) {
    return call<ApiResponse>("api_send", { request, call: callId ?? null });
  }
  async apiCancel(callId: string): Promise<void> {
    await call<undefined>("api_cancel", { call: callId });
  }
  secretsList(install: string, scope: SecretScope) {
    return call<SecretList>("secrets_list", { install, scope });
  }
  secretsFind(install: string, scope: SecretScope, name: string) {
    return call<StoredSecret>("secrets_find", { install, scope, name });
  }
  secretsSet(install: string, scope: SecretScope, name: string, payload: string, expiresAt?: number) {
    return call<StoredSecret>("secrets_set", { install, scope, name, payload, expiresAt: expiresAt ?? null });
  }
  secretsDelete(install: string, scope: SecretScope, name: string) {
    return call<StoredSecret>("secrets_delete", { install, scope, name });
  }
  apiNextPage(request: ApiRequest, response: ApiResponse) {
    return call<ApiRequest | null>("api_next_page", { request, response });
  }
  apiFetchAll(request: ApiRequest, max: number, onProgress: (progress: FetchProgress) => void) {
    const channel = new Channel<FetchProgress>(onProgress);
    return call<{ job: string }>("api_fetch_all", { request, max, onProgress: channel });
  }
  apiFetchWait(job: string) {
    return call<FetchAllResult>("api_fetch_wait", { job });
  }
  async apiFetchCancel(job: string): Promise<void> {
    await call<undefined>("api_fetch_cancel", { job });
  }
  apiHistory(search?: string) {
    return call<HistoryEntry[]>("api_history", { search });
  }
  apiCurl(request: ApiRequest, envVar?: string) {
    return call<string>("api_curl", { request, envVar });
  }
  apiEndpoints(method: string | undefined, prefix: string) {
    return call<Endpoint[]>("api_endpoints", { method, prefix });
  }
  apiPrecheck(method: string, path: string, manifestPath: string) {
    return call<string | null>("api_precheck", { method, path, manifestPath });
  }
  apiMissingPermission(response: ApiResponse) {
    return call<string | null>("api_missing_permission", { response });
  }
  liveWrites(unlock: boolean) {
    return call<boolean>("live_writes", { unlock });
  }
  signStripeSignature(args: SignStripeSignatureArgs) {
    return call<string>("sign_stripe_signature", { ...args });
  }
  verifyStripeSignature(args: VerifyStripeSignatureArgs) {
    return call<number>("verify_stripe_signature", { ...args });
  }
  signUiExtension(args: SignUiExtensionArgs) {
    return call<string>("sign_ui_extension", { ...args });
  }
  verifyInstallSignature(args: VerifyInstallSignatureArgs) {
    return call<number>("verify_install_signature", { ...args });
  }
  qaFlows(manifestPath: string) {
    return call<QaFlowFile[]>("qa_flows", { manifestPath });
  }
  qaFlowFile(path: string) {
    return call<QaFlowFile>("qa_flow_file", { path });
  }
  qaStart(options: QaStartOptions, onProgress: (progress: QaProgress) => void) {
    const channel = new Channel<QaProgress>(onProgress);
    return call<QaStarted>("qa_start", {
      flow: options.flow,
      manifestPath: options.manifestPath,
      accounts: options.accounts,
      loops: options.loops,
      onProgress: channel,
    });
  }
  qaWait(run: string) {
    return call<QaRunResult>("qa_wait", { run });
  }
  async qaCancel(run: string): Promise<void> {
    await call<undefined>("qa_cancel", { run });
  }
  async qaOpenReport(run: string, what: QaReportKind): Promise<void> {
    await call<undefined>("qa_open_report", { run, what });
  }
  qaRecordStart() {
    return call<RecordStatus>("qa_record_start");
  }
  qaRecordStop() {
    return call<RecordStatus>("qa_record_stop");
  }
  qaRecordStatus() {
    return call<RecordStatus>("qa_record_status");
  }
  qaRecordSave(manifestPath: string, name: string) {
    return call<QaFlowFile>("qa_record_save", { manifestPath, name });
  }
  uiReady() {
    return call<number>("ui_ready");
  }
}
