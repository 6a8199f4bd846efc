import type { ApiRequest } from "../bindings/ApiRequest";
import type { ApiResponse } from "../bindings/ApiResponse";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { EventAdvice } from "../bindings/EventAdvice";
import type { ManifestEdit } from "../bindings/ManifestEdit";
import type { ManifestState } from "../bindings/ManifestState";
import type { PermissionInfo } from "../bindings/PermissionInfo";
import type { ProjectInfo } from "../bindings/ProjectInfo";
import type { ProviderConfig } from "../bindings/ProviderConfig";
import type { TimelineStep } from "../bindings/TimelineStep";
import type {
  Backend,
  FetchProgress,
  InstallLinkOptions,
  InstallStartOptions,
  OpenDialogOptions,
  QaReportKind,
  QaStartOptions,
  SandboxStatus,
  SignStripeSignatureArgs,
  SignUiExtensionArgs,
  VerifyInstallSignatureArgs,
  VerifyStripeSignatureArgs,
} from "./backend";
import { AppError } from "./errors";
import { DEMO_MANIFEST, FAKE_CATALOG, FAKE_EVENT_TYPES } from "./fakeData";
import { endpointFor, FakeApi, FAKE_ENDPOINTS, fakeMac, fakeVerify, permits } from "./fakeApi";
import { fakeApplyEdit, fakeDiff, fakeRead, fakeRevision, fakeValidate, parseManifest } from "./fakeLogic";
import { FakeQa, type FakeFlow } from "./fakeQa";
import { DEFAULT_SANDBOX, FakeWorld, type WorldOptions } from "./fakeWorld";
import type { QaProgress } from "../bindings/QaProgress";

export interface FakeCall {
  command: string;
  args: Record<string, unknown>;
}

export interface FakeOptions extends WorldOptions {
  files?: Record<string, string>;
  launchPath?: string | null;
  catalog?: PermissionInfo[];
  eventTypes?: string[];
  /** null makes `sandbox_status` reject, as before the command exists. */
  sandbox?: SandboxStatus | null;
  /** Artificial latency in ms (the browser demo uses a little, tests none). */
  latency?: number;
  dialogResult?: string | null;
  /** How many customers the fake API starts with (default 25). */
  customers?: number;
  /** Delay between pages of `api_fetch_all` (default 40 ms). */
  pageMs?: number;
  /** How long `api_send` waits before answering (default 0: at once); `apiCancel` ends the wait. */
  sendMs?: number;
  /** The QA flows on "disk" (default: the demo project's install smoke flow). */
  qaFlows?: FakeFlow[];
  /** How long each scripted QA step takes (default 30 ms). */
  qaStepMs?: number;
}

export const DEMO_FLOW = "/demo/flows/install-smoke.yaml";

function notInPreview(command: string): Promise<never> {
  return Promise.reject(new AppError("internal", `${command} is not available in the browser preview: run the desktop app.`));
}

/** As core's `qa::files::recorded_flow_path` names a recorded flow: `flows/<slug>.yaml` beside the manifest. */
function recordedFlowPath(manifestPath: string, name: string): string {
  const dir = manifestPath.slice(0, manifestPath.lastIndexOf("/"));
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "recorded";
  return `${dir}/flows/${slug}.yaml`;
}

/** Mirrors core's `ui_extension_payload`: user_id and account_id first, then the extension's fields. */
function uiExtensionPayload(userId: string, accountId: string, extra: string | undefined): string {
  let fields: Record<string, unknown> = {};
  if (extra && extra.trim()) {
    const parsed: unknown = JSON.parse(extra);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new AppError("invalid-input", "The payload must be a JSON object.");
    fields = parsed as Record<string, unknown>;
  }
  const rest = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== "user_id" && k !== "account_id"));
  return JSON.stringify({ user_id: userId, account_id: accountId, ...rest });
}

export const DEMO_PATH = "/demo/stripe-app.json";

/**
 * In-memory `Backend`: component tests drive it and inspect `calls`; a plain browser
 * (no `window.__TAURI_INTERNALS__`) runs the app on it.
 */
export class FakeBackend implements Backend {
  readonly files = new Map<string, string>();
  readonly calls: FakeCall[] = [];
  private recent: string[] = [];
  private readonly failures = new Map<string, ErrorPayload[]>();
  private readonly catalog: PermissionInfo[];
  private readonly events: string[];
  private readonly launchPath: string | null;
  private readonly latency: number;
  sandbox: SandboxStatus | null;
  dialogResult: string | null;
  readonly world: FakeWorld;
  readonly api: FakeApi;
  readonly opened: string[] = [];
  readonly qa: FakeQa;
  private readonly pageMs: number;
  private readonly sendMs: number;
  private readonly pendingCalls = new Map<string, () => void>();

  constructor(options: FakeOptions = {}) {
    const files = options.files ?? { [DEMO_PATH]: DEMO_MANIFEST };
    for (const [path, text] of Object.entries(files)) this.files.set(path, text);
    this.launchPath = options.launchPath === undefined ? ([...this.files.keys()][0] ?? null) : options.launchPath;
    this.catalog = options.catalog ?? FAKE_CATALOG;
    this.events = options.eventTypes ?? FAKE_EVENT_TYPES;
    this.sandbox = options.sandbox === undefined ? { ...DEFAULT_SANDBOX } : options.sandbox;
    this.world = new FakeWorld(options, () => this.sandbox);
    this.api = new FakeApi(this.world, options.customers ?? 25);
    this.pageMs = options.pageMs ?? 40;
    this.sendMs = options.sendMs ?? 0;
    this.qa = new FakeQa(
      options.qaFlows ?? [
        {
          path: DEMO_FLOW,
          name: "install smoke",
          steps: ["install (OAuth)", "assert install", "list customers as the install", "uninstall", "wait for account.application.deauthorized"],
        },
      ],
      options.qaStepMs ?? 30,
    );
    this.latency = options.latency ?? 0;
    this.dialogResult = options.dialogResult === undefined ? "/demo" : options.dialogResult;
  }

  /** Make the next call of `command` reject with `payload`. */
  failNext(command: string, payload: ErrorPayload): void {
    const queue = this.failures.get(command) ?? [];
    queue.push(payload);
    this.failures.set(command, queue);
  }

  /** Simulate another program (an editor, `stripe apps grant`) writing the file. */
  writeExternally(path: string, text: string): void {
    this.files.set(path, text);
  }

  callsOf(command: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.command === command).map((c) => c.args);
  }

  private async run<T>(command: string, args: Record<string, unknown>, body: () => T | Promise<T>): Promise<T> {
    this.calls.push({ command, args });
    if (this.latency > 0) await new Promise((r) => setTimeout(r, this.latency));
    else await Promise.resolve();
    const failure = this.failures.get(command)?.shift();
    if (failure) throw new AppError(failure.code, failure.message);
    return body();
  }

  private read(path: string): string {
    const text = this.files.get(path);
    if (text === undefined) throw new AppError("manifest-unreadable", `Cannot read ${path}: no such file.`);
    return text;
  }

  private state(path: string): ManifestState {
    const text = this.read(path);
    return { document: { path, text, revision: fakeRevision(text) }, diagnostics: fakeValidate(text, this.catalog), read: fakeRead(text) };
  }

  private project(path: string): ProjectInfo {
    const root = path.slice(0, path.lastIndexOf("/")) || "/";
    const extensions = [...this.files.keys()].filter((p) => p !== path && p.startsWith(`${root}/stripe-app.`));
    return { manifest_path: path, root, extensions };
  }

  private checkRevision(path: string, expected: string): void {
    const current = this.files.get(path);
    if (current === undefined || fakeRevision(current) !== expected) {
      throw new AppError("manifest-changed-on-disk", `${path} changed on disk since it was loaded.`);
    }
  }

  launchProject() {
    return this.run("launch_project", {}, () => (this.launchPath && this.files.has(this.launchPath) ? this.project(this.launchPath) : null));
  }

  openProject(path: string) {
    return this.run("open_project", { path }, () => {
      const manifest = path.endsWith(".json") ? path : `${path.replace(/\/$/, "")}/stripe-app.json`;
      if (!this.files.has(manifest)) throw new AppError("project-not-found", `No stripe-app.json at ${path}.`);
      this.recent = [manifest, ...this.recent.filter((p) => p !== manifest)].slice(0, 10);
      return this.project(manifest);
    });
  }

  recentProjects() {
    return this.run("recent_projects", {}, () => [...this.recent]);
  }

  openDialog(options: OpenDialogOptions) {
    return this.run("open_dialog", { ...options }, () => this.dialogResult);
  }

  loadManifest(path: string) {
    return this.run("load_manifest", { path }, () => this.state(path));
  }

  validateManifestText(path: string, text: string) {
    return this.run("validate_manifest_text", { path, text }, () => ({ diagnostics: fakeValidate(text, this.catalog), read: fakeRead(text) }));
  }

  manifestReleaseCheck(): Promise<never> {
    return Promise.reject(
      new AppError("internal", "The release check is not available in the browser preview: it runs in the desktop app."),
    );
  }

  previewEdit(path: string, text: string, edit: ManifestEdit) {
    return this.run("preview_edit", { path, text, edit }, () => {
      const next = fakeApplyEdit(text, edit, this.catalog);
      const unchanged = next === text || JSON.stringify(parseManifest(next)) === JSON.stringify(parseManifest(text));
      const out = unchanged ? text : next;
      return { text: out, diagnostics: fakeValidate(out, this.catalog), read: fakeRead(out), unchanged };
    });
  }

  saveManifest(path: string, expectedRevision: string, text: string) {
    return this.run("save_manifest", { path, expectedRevision, text }, () => {
      this.checkRevision(path, expectedRevision);
      this.files.set(path, text);
      return this.state(path);
    });
  }

  applyEditAndSave(path: string, expectedRevision: string, edit: ManifestEdit) {
    return this.run("apply_edit_and_save", { path, expectedRevision, edit }, () => {
      this.checkRevision(path, expectedRevision);
      this.files.set(path, fakeApplyEdit(this.read(path), edit, this.catalog));
      return this.state(path);
    });
  }

  diskRevision(path: string) {
    return this.run("disk_revision", { path }, () => {
      const text = this.files.get(path);
      return text === undefined ? null : fakeRevision(text);
    });
  }

  diffTexts(oldText: string, newText: string) {
    return this.run("diff_texts", { old: oldText, new: newText }, () => fakeDiff(oldText, newText));
  }

  permissionCatalog() {
    return this.run("permission_catalog", {}, () => this.catalog);
  }

  eventTypes() {
    return this.run("event_types", {}, () => this.events);
  }

  adviseEvents(path: string, text: string, events: string[]) {
    return this.run("advise_events", { path, text, events }, () => {
      let granted: string[] = [];
      try {
        const doc = parseManifest(text);
        const perms = Array.isArray(doc.permissions) ? doc.permissions : [];
        granted = perms.map((p: unknown) => String(typeof p === "object" && p !== null ? (p as { permission?: unknown }).permission : p));
      } catch {
        granted = [];
      }
      return events.map((event): EventAdvice => {
        const anyOf = this.catalog.filter((p) => p.events.includes(event)).map((p) => p.permission);
        const known = anyOf.length > 0;
        const grantedBy = anyOf.find((p) => granted.includes(p)) ?? null;
        const suggestion = grantedBy ? null : (anyOf.find((p) => p.endsWith("_read")) ?? anyOf[0] ?? null);
        const didYouMean = known ? null : (this.events.find((e) => e.startsWith(event.split(".")[0] ?? "")) ?? null);
        return { event, known, any_of: anyOf, granted_by: grantedBy, suggestion, did_you_mean: didYouMean };
      });
    });
  }

  sandboxStatus() {
    return this.run("sandbox_status", {}, () => {
      if (!this.sandbox) throw new AppError("internal", "sandbox_status is not available in this build.");
      return this.sandbox;
    });
  }

  openUrl(url: string) {
    return this.run("open_url", { url }, () => {
      if (!/^(https:\/\/|http:\/\/127\.0\.0\.1[:/])/.test(url)) throw new AppError("invalid-input", `Not allowed to open ${url}.`);
      this.opened.push(url);
    });
  }

  private sandboxNow(): SandboxStatus {
    if (!this.sandbox) throw new AppError("internal", "sandbox_status is not available in this build.");
    return { ...this.sandbox };
  }

  sandboxSetAutoConsent(on: boolean) {
    return this.run("sandbox_set_auto_consent", { on }, () => {
      const status = this.sandboxNow();
      this.sandbox = { ...status, auto_consent: on };
      return { ...this.sandbox };
    });
  }

  keychainStatus() {
    return this.run("keychain_status", {}, () => ({ ...this.world.keychain }));
  }

  useSessionSecrets() {
    return this.run("use_session_secrets", {}, () => {
      this.world.keychain = { ...this.world.keychain, store: "session-memory" };
      return { ...this.world.keychain };
    });
  }

  retryKeychain() {
    return this.run("retry_keychain", {}, () => {
      if (this.world.keychainRetry) this.world.keychain = { ...this.world.keychainRetry };
      return { ...this.world.keychain };
    });
  }

  accountsList() {
    return this.run("accounts_list", {}, () => this.world.accountsView());
  }

  accountsAdd(name: string, key: string, apiBase: string | undefined, skipCheck: boolean) {
    return this.run("accounts_add", { name, key, apiBase, skipCheck }, () => this.world.addAccount(name, key, apiBase, skipCheck));
  }

  appsList() {
    return this.run("apps_list", {}, () => []);
  }

  appsSet() {
    return notInPreview("apps_set");
  }

  accountsRemove(name: string) {
    return this.run("accounts_remove", { name }, () => this.world.removeAccount(name));
  }

  accountsUse(name: string) {
    return this.run("accounts_use", { name }, () => this.world.useAccount(name));
  }

  installLink(options: InstallLinkOptions) {
    return this.run("install_link", { ...options }, () => this.world.installLink(options.account, options.redirectUri, options.platform));
  }

  installStart(options: InstallStartOptions, onStep: (step: TimelineStep) => void) {
    return this.run("install_start", { ...options }, () => this.world.startInstall(options, onStep));
  }

  installWait(flow: string) {
    return this.run("install_wait", { flow }, async () => {
      const outcome = await this.world.waitInstall(flow);
      this.qa.note("install (OAuth)");
      return outcome;
    });
  }

  // Issue 11's calls are not modelled here (this fake is going away): the screens show core's answers only.
  installCheck(): Promise<never> {
    return notInPreview("install_check");
  }

  installWaitBackend(): Promise<never> {
    return notInPreview("install_wait_backend");
  }

  installBackendLanded(): Promise<never> {
    return notInPreview("install_backend_landed");
  }

  installCancel(flow: string) {
    return this.run("install_cancel", { flow }, () => this.world.cancelInstall(flow));
  }

  installPasteUrl(flow: string, url: string) {
    return this.run("install_paste_url", { flow, url }, () => this.world.pasteUrl(flow, url));
  }

  installsList() {
    return this.run("installs_list", {}, () => this.world.installs.map((i) => ({ ...i })));
  }

  installRefresh(install: string) {
    return this.run("install_refresh", { install }, () => {
      const fresh = this.world.refreshInstall(install);
      this.qa.note("refresh tokens");
      return fresh;
    });
  }

  installForget(install: string) {
    return this.run("install_forget", { install }, () => this.world.forgetInstall(install));
  }

  providersList() {
    return this.run("providers_list", {}, () => this.world.providers.map((p) => ({ ...p })));
  }

  providersAdd(config: ProviderConfig, clientSecret: string | undefined) {
    return this.run("providers_add", { config, clientSecret }, () => this.world.addProvider(config, clientSecret));
  }

  providersRemove(name: string) {
    return this.run("providers_remove", { name }, () => this.world.removeProvider(name));
  }

  providerLogin(name: string, timeoutSecs: number | undefined, onStep: (step: TimelineStep) => void) {
    return this.run("provider_login", { name, timeoutSecs }, () => this.world.loginProvider(name, timeoutSecs, onStep));
  }

  providerRefresh(name: string) {
    return this.run("provider_refresh", { name }, () => this.world.refreshProvider(name));
  }

  dashboardRedirectUrls(appId: string) {
    return this.run("dashboard_redirect_urls", { appId }, () => [
      `https://dashboard.stripe.com/test/apps-oauth/${appId}`,
      `https://dashboard.stripe.com/apps-oauth/${appId}`,
    ]);
  }

  secretsList(): Promise<never> {
    return Promise.reject(new AppError("internal", "The Secret Store is not in the in-memory fake: test it with stubBackend."));
  }
  secretsFind(): Promise<never> {
    return this.secretsList();
  }
  secretsSet(): Promise<never> {
    return this.secretsList();
  }
  secretsDelete(): Promise<never> {
    return this.secretsList();
  }

  apiSend(request: ApiRequest, callId?: string) {
    return this.run("api_send", { request, call: callId ?? null }, async () => {
      if (this.sendMs > 0) {
        const cancelled = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), this.sendMs);
          if (callId)
            this.pendingCalls.set(callId, () => {
              clearTimeout(timer);
              resolve(true);
            });
        });
        if (callId) this.pendingCalls.delete(callId);
        if (cancelled) throw new AppError("api-cancelled", `${request.method} ${request.path} was cancelled before its answer came`);
      }
      const response = this.api.send(request);
      this.qa.note(`${request.method} ${request.path}`);
      return response;
    });
  }

  apiCancel(callId: string) {
    return this.run("api_cancel", { call: callId }, () => {
      this.pendingCalls.get(callId)?.();
    });
  }

  apiNextPage(request: ApiRequest, response: ApiResponse) {
    return this.run("api_next_page", { request }, () => this.api.nextPage(request, response));
  }

  apiFetchAll(request: ApiRequest, max: number, onProgress: (progress: FetchProgress) => void) {
    return this.run("api_fetch_all", { request, max }, () => ({ job: this.api.fetchAll(request, max, onProgress, this.pageMs) }));
  }

  apiFetchWait(job: string) {
    return this.run("api_fetch_wait", { job }, () => this.api.job(job).done);
  }

  apiFetchCancel(job: string) {
    return this.run("api_fetch_cancel", { job }, () => {
      this.api.job(job).cancelled = true;
    });
  }

  apiHistory(search?: string) {
    return this.run("api_history", { search }, () => {
      const q = (search ?? "").trim().toLowerCase();
      return this.api.history.filter(
        (h) => !q || `${h.request.method} ${h.request.path} ${h.status} ${h.request.params.map((p) => p.join("=")).join(" ")}`.toLowerCase().includes(q),
      );
    });
  }

  apiCurl(request: ApiRequest, envVar?: string) {
    return this.run("api_curl", { request, envVar }, () => this.api.curl(request, envVar));
  }

  apiEndpoints(method: string | undefined, prefix: string) {
    return this.run("api_endpoints", { method, prefix }, () => {
      const p = prefix.toLowerCase();
      return FAKE_ENDPOINTS.filter((e) => (!method || e.method === method) && (e.path.toLowerCase().startsWith(p) || e.description.toLowerCase().includes(p)));
    });
  }

  apiPrecheck(method: string, path: string, manifestPath: string) {
    return this.run("api_precheck", { method, path, manifestPath }, () => {
      const needed = endpointFor(method.toUpperCase(), path.split("?")[0] ?? "")?.permission;
      if (!needed) return null;
      const doc = parseManifest(this.read(manifestPath));
      const perms = Array.isArray(doc.permissions) ? doc.permissions : [];
      const granted = perms.map((p: unknown) => String(typeof p === "object" && p !== null ? (p as { permission?: unknown }).permission : p));
      return permits(granted, needed) ? null : needed;
    });
  }

  apiMissingPermission(response: ApiResponse) {
    return this.run("api_missing_permission", {}, () => {
      if (response.status !== 403) return null;
      return /'([a-z_]+)' permission/.exec(response.stripe_error?.message ?? "")?.[1] ?? null;
    });
  }

  liveWrites(unlock: boolean) {
    return this.run("live_writes", { unlock }, () => {
      this.world.liveUnlocked = unlock;
      return unlock;
    });
  }

  signStripeSignature(args: SignStripeSignatureArgs) {
    return this.run("sign_stripe_signature", { payload: args.payload, timestamp: args.timestamp }, () => {
      const t = args.timestamp ?? Math.floor(Date.now() / 1000);
      return `t=${t},v1=${fakeMac(args.secret, t, args.payload)}`;
    });
  }

  verifyStripeSignature(args: VerifyStripeSignatureArgs) {
    return this.run("verify_stripe_signature", { header: args.header, payload: args.payload, toleranceSecs: args.toleranceSecs }, () =>
      fakeVerify(args.secret, args.header, args.payload, args.toleranceSecs ?? 300),
    );
  }

  signUiExtension(args: SignUiExtensionArgs) {
    return this.run("sign_ui_extension", { userId: args.userId, accountId: args.accountId, payload: args.payload }, () => {
      const t = args.timestamp ?? Math.floor(Date.now() / 1000);
      return `t=${t},v1=${fakeMac(args.secret, t, uiExtensionPayload(args.userId, args.accountId, args.payload))}`;
    });
  }

  verifyInstallSignature(args: VerifyInstallSignatureArgs) {
    return this.run("verify_install_signature", { state: args.state, userId: args.userId, accountId: args.accountId }, () =>
      fakeVerify(args.secret, args.installSignature, JSON.stringify({ state: args.state, user_id: args.userId, account_id: args.accountId }), args.toleranceSecs ?? 300),
    );
  }

  qaFlows(manifestPath: string) {
    return this.run("qa_flows", { manifestPath }, () => this.qa.list(manifestPath));
  }

  qaFlowFile(path: string) {
    return this.run("qa_flow_file", { path }, () => this.qa.describe(path));
  }

  qaStart(options: QaStartOptions, onProgress: (progress: QaProgress) => void) {
    return this.run("qa_start", { ...options }, () => this.qa.start(options, onProgress));
  }

  qaWait(run: string) {
    return this.run("qa_wait", { run }, () => this.qa.wait(run));
  }

  qaCancel(run: string) {
    return this.run("qa_cancel", { run }, () => this.qa.cancel(run));
  }

  qaOpenReport(run: string, what: QaReportKind) {
    return this.run("qa_open_report", { run, what }, () => this.qa.open(run, what));
  }

  qaRecordStart() {
    return this.run("qa_record_start", {}, () => {
      this.qa.recording = true;
      return this.qa.status();
    });
  }

  qaRecordStop() {
    return this.run("qa_record_stop", {}, () => {
      this.qa.recording = false;
      return this.qa.status();
    });
  }

  qaRecordStatus() {
    return this.run("qa_record_status", {}, () => this.qa.status());
  }

  qaRecordSave(manifestPath: string, name: string) {
    return this.run("qa_record_save", { manifestPath, name }, () => this.qa.save(recordedFlowPath(manifestPath, name), name));
  }

  uiReady() {
    return this.run("ui_ready", {}, () => 0);
  }
}
