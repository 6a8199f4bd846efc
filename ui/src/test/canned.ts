/**
 * Core's real answers, for stubs that answer what core would: written by `crates/core/tests/ui_canned`
 * on `cargo test` (from the same core functions the desktop commands call), committed under
 * `./canned/`, and checked for drift by CI like the bindings. Never imported by production code
 * (CI checks the built bundle for `canned_type`).
 *
 * Each entry carries the TypeScript name ts-rs gives its Rust type; `pick` checks it against the
 * binding the test reads it as, so an answer can't be used as something core never produced.
 */
import type { AccountProfile } from "../bindings/AccountProfile";
import type { AccountsView } from "../bindings/AccountsView";
import type { ApiRequest } from "../bindings/ApiRequest";
import type { ApiResponse } from "../bindings/ApiResponse";
import type { DiffLine } from "../bindings/DiffLine";
import type { EditOutcome } from "../bindings/EditOutcome";
import type { Endpoint } from "../bindings/Endpoint";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { EventAdvice } from "../bindings/EventAdvice";
import type { HistoryEntry } from "../bindings/HistoryEntry";
import type { InstallCheck } from "../bindings/InstallCheck";
import type { InstallOutcome } from "../bindings/InstallOutcome";
import type { InstallRecord } from "../bindings/InstallRecord";
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
import type { TimelineStep } from "../bindings/TimelineStep";
import type { FetchAllResult } from "../bindings/FetchAllResult";
import type { FetchProgress } from "../bindings/FetchProgress";
import type { QaRunResult } from "../bindings/QaRunResult";
import { AppError } from "../api/errors";
import accountsJson from "./canned/accounts.json";
import appJson from "./canned/app.json";
import consoleJson from "./canned/console.json";
import installJson from "./canned/install.json";
import manifestJson from "./canned/manifest.json";
import permissionsJson from "./canned/permissions.json";
import providersJson from "./canned/providers.json";
import qaJson from "./canned/qa.json";
import secretsJson from "./canned/secrets.json";
import signaturesJson from "./canned/signatures.json";

/** The type names the generator writes (ts-rs's `TS::name`), and what each is in TypeScript. */
interface Types {
  AccountProfile: AccountProfile;
  AccountsView: AccountsView;
  ApiRequest: ApiRequest;
  "ApiRequest | null": ApiRequest | null;
  ApiResponse: ApiResponse;
  "Array<ApiResponse>": ApiResponse[];
  "Array<DiffLine>": DiffLine[];
  "Array<Endpoint>": Endpoint[];
  "Array<EventAdvice>": EventAdvice[];
  "Array<FetchProgress>": FetchProgress[];
  "Array<HistoryEntry>": HistoryEntry[];
  "Array<InstallRecord>": InstallRecord[];
  "Array<JsonValue>": unknown[];
  "Array<PermissionInfo>": PermissionInfo[];
  "Array<ProviderConfig>": ProviderConfig[];
  "Array<QaFlowFile>": QaFlowFile[];
  "Array<QaProgress>": QaProgress[];
  "Array<TimelineStep>": TimelineStep[];
  "Array<number>": number[];
  "[ApiRequest, ApiResponse]": [ApiRequest, ApiResponse];
  "Array<string>": string[];
  EditOutcome: EditOutcome;
  ErrorPayload: ErrorPayload;
  FetchAllResult: FetchAllResult;
  InstallCheck: InstallCheck;
  InstallOutcome: InstallOutcome;
  InstallRecord: InstallRecord;
  ManifestState: ManifestState;
  ProjectInfo: ProjectInfo;
  ProviderConfig: ProviderConfig;
  ProviderLogin: ProviderLogin;
  QaFlowFile: QaFlowFile;
  QaRunReport: QaRunReport;
  QaRunResult: QaRunResult;
  QaTotals: QaTotals;
  QaWritten: QaWritten;
  number: number;
  string: string;
  "string | null": string | null;
}

type Shape = Record<string, keyof Types>;

/** The entries `shape` names, each checked to be the type it says; every entry of the file must be named. */
export function pick<S extends Shape>(file: object, shape: S): { [K in keyof S]: Types[S[K]] } {
  const entries = Object.entries(file).filter(([name]) => name !== "$comment");
  const unread = entries.map(([name]) => name).filter((name) => !(name in shape));
  if (unread.length > 0) throw new Error(`canned entries no test reads (name them, or stop writing them): ${unread.join(", ")}`);
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(shape)) {
    const entry = (file as Record<string, { canned_type?: unknown; value?: unknown } | undefined>)[name];
    if (entry === undefined) throw new Error(`no canned entry "${name}": run cargo test -p appdeck-core --test ui_canned`);
    if (entry.canned_type !== type) throw new Error(`canned "${name}" is a ${String(entry.canned_type)}, not a ${type}`);
    out[name] = entry.value;
  }
  return out as { [K in keyof S]: Types[S[K]] };
}

/** A canned `{code, message}` as the error the backend rejects with. */
export function appError(payload: ErrorPayload): AppError {
  return new AppError(payload.code, payload.message);
}

/** Core's clock in the canned world (scrub.rs `FIXED`): every time in a canned answer is near it. */
export const CANNED_NOW = new Date("2026-01-01T00:00:00Z");

/** The app shell: projects, the first screen's manifests, the QA screen's flow list. */
export const app = pick(appJson, {
  project: "ProjectInfo",
  manifest: "ManifestState",
  flows: "Array<QaFlowFile>",
  projectWithDev: "ProjectInfo",
  devManifest: "ManifestState",
  recentAfterOpeningB: "Array<string>",
  projectB: "ProjectInfo",
  notFound: "ErrorPayload",
});

/** The Manifest screen: a manifest with a problem, a clean one, edits, saves, changes on disk. */
export const manifest = pick(manifestJson, {
  problem: "ManifestState",
  missingName: "ManifestState",
  clean: "ManifestState",
  renamed: "EditOutcome",
  mine: "EditOutcome",
  keptFocus: "EditOutcome",
  emptyNameRefused: "ErrorPayload",
  saveDiff: "Array<DiffLine>",
  savedRenamed: "ManifestState",
  saveChangedOnDisk: "ErrorPayload",
  outsideVersion: "ManifestState",
  saveDiffOverOutside: "Array<DiffLine>",
  savedMineOverOutside: "ManifestState",
  outsideName: "ManifestState",
  missing: "ErrorPayload",
});

/** The Permissions screen: core's catalog and event types, one-step edits, the event advisor. */
export const permissions = pick(permissionsJson, {
  catalog: "Array<PermissionInfo>",
  eventTypes: "Array<string>",
  manifest: "ManifestState",
  grantedCustomerWrite: "ManifestState",
  revokedCustomerRead: "ManifestState",
  purposeSet: "ManifestState",
  connectSrcGranted: "ManifestState",
  adviceCustomerCreated: "Array<EventAdvice>",
  adviceBoth: "Array<EventAdvice>",
  grantedSuggestion: "ManifestState",
  adviceBothAfterGrant: "Array<EventAdvice>",
  changedOnDisk: "ErrorPayload",
});

/** Accounts as core lists them with the sandbox running: adding live and test keys, rejections, switching. */
export const accounts = pick(accountsJson, {
  localOnly: "AccountsView",
  prodAdded: "AccountProfile",
  withProd: "AccountsView",
  prodCurrent: "AccountsView",
  qaAdded: "AccountProfile",
  withQa: "AccountsView",
  qaCurrent: "AccountsView",
  qaRemoved: "AccountsView",
  keyRejected: "ErrorPayload",
  notAKey: "ErrorPayload",
});

/** The Providers screen: a provider added with a client secret, a PKCE login of a public client, Dashboard URLs. */
export const providers = pick(providersJson, {
  added: "ProviderConfig",
  listed: "Array<ProviderConfig>",
  listedWithPublic: "Array<ProviderConfig>",
  loginSteps: "Array<TimelineStep>",
  login: "ProviderLogin",
  listedAfterLogin: "Array<ProviderConfig>",
  dashboardRedirectUrls: "Array<string>",
});

/** The Signatures screen: a webhook signature at core's clock, a changed payload refused, a UI extension's. */
export const signatures = pick(signaturesJson, {
  webhookHeader: "string",
  webhookVerifiedAt: "number",
  webhookChanged: "ErrorPayload",
  uiExtensionPayload: "string",
  uiExtensionHeader: "string",
});

/** The Install screen: real flows against the sandbox (streamed steps, outcomes, refusals) and the installs list. */
export const install = pick(installJson, {
  manifest: "ManifestState",
  accounts: "AccountsView",
  check: "InstallCheck",
  linkOauth: "string",
  linkPlatform: "string",
  runAuthorizeUrl: "string",
  runRedirectUri: "string",
  runSteps: "Array<TimelineStep>",
  runOutcome: "InstallOutcome",
  installsAfterRun: "Array<InstallRecord>",
  cancelSteps: "Array<TimelineStep>",
  cancelled: "ErrorPayload",
  timedOut: "ErrorPayload",
  installs: "Array<InstallRecord>",
  refreshed: "InstallRecord",
  installsAfterRefresh: "Array<InstallRecord>",
  needsReauthorization: "ErrorPayload",
  installsAfterForget: "Array<InstallRecord>",
  pasteAuthorizeUrl: "string",
  pasteWrongState: "ErrorPayload",
  pasteAuthorizeUrl2: "string",
  pasteLanded: "string",
  pasteSteps: "Array<TimelineStep>",
  pasteOutcome: "InstallOutcome",
});

/** The API console: calls sent through core to the sandbox, its history and searches, curl, guard rails. */
export const apiConsole = pick(consoleJson, {
  manifest: "ManifestState",
  accounts: "AccountsView",
  historyAfterSend: "Array<HistoryEntry>",
  historyAfterRerun: "Array<HistoryEntry>",
  customersAgain: "ApiResponse",
  customers: "ApiResponse",
  nextPage: "ApiRequest",
  nextPageAfterLast: "ApiRequest | null",
  customersPage2: "ApiResponse",
  fetchAllProgress: "Array<FetchProgress>",
  fetchAll: "FetchAllResult",
  created: "ApiResponse",
  createdFromRawBody: "ApiResponse",
  historyEveryWord: "Array<HistoryEntry>",
  historyNoMatch: "Array<HistoryEntry>",
  curl: "string",
  endpointsGet: "Array<Endpoint>",
  endpointsPost: "Array<Endpoint>",
  cancelled: "ErrorPayload",
  accountsLive: "AccountsView",
  liveWriteLocked: "ErrorPayload",
  installs: "Array<InstallRecord>",
  precheckPost: "string | null",
  permissionDenied: "ApiResponse",
  missingPermission: "string | null",
  grantedCustomerWrite: "ManifestState",
  precheckPostAfterGrant: "string | null",
});

/** The Secret Store screen: each call as core builds it, sent as a real install, with the sandbox's answer. */
export const secrets = pick(secretsJson, {
  installs: "Array<InstallRecord>",
  listEmpty: "[ApiRequest, ApiResponse]",
  set: "[ApiRequest, ApiResponse]",
  listOne: "[ApiRequest, ApiResponse]",
  find: "[ApiRequest, ApiResponse]",
  listUser: "[ApiRequest, ApiResponse]",
  delete: "[ApiRequest, ApiResponse]",
});

/** The QA screen: flow files as core describes them, real runs with their streamed progress and results, a recording. */
export const qa = pick(qaJson, {
  flowSmoke: "QaFlowFile",
  flowFails: "QaFlowFile",
  flowBad: "QaFlowFile",
  flowMissing: "QaFlowFile",
  smokeTwoByTwoProgress: "Array<QaProgress>",
  smokeTwoByTwoResult: "QaRunResult",
  smokeProgress: "Array<QaProgress>",
  smokeResult: "QaRunResult",
  failsProgress: "Array<QaProgress>",
  failsResult: "QaRunResult",
  flowReal: "QaFlowFile",
  realCancelledProgress: "Array<QaProgress>",
  realCancelledResult: "QaRunResult",
  realAcceptedProgress: "Array<QaProgress>",
  realAcceptedResult: "QaRunResult",
  recordedFlow: "QaFlowFile",
  recordedExists: "ErrorPayload",
  recordedProgress: "Array<QaProgress>",
  recordedResult: "QaRunResult",
});

/** `value`, which the scenario needs core to have given (an empty one would make an assertion vacuous). */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined || value === "") throw new Error(`the canned answer has no ${what}`);
  return value;
}
