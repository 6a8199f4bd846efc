/**
 * In-memory stand-ins for the keychain, accounts, install flows, tokens and OAuth providers,
 * for the fake backend. Plausible, not faithful: the real rules live in appdeck-core.
 */
import type { AccountProfile } from "../bindings/AccountProfile";
import type { AccountsView } from "../bindings/AccountsView";
import type { Actor } from "../bindings/Actor";
import type { InstallOutcome } from "../bindings/InstallOutcome";
import type { InstallRecord } from "../bindings/InstallRecord";
import type { KeychainStatus } from "../bindings/KeychainStatus";
import type { Mode } from "../bindings/Mode";
import type { ProviderConfig } from "../bindings/ProviderConfig";
import type { ProviderLogin } from "../bindings/ProviderLogin";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import type { TimelineStep } from "../bindings/TimelineStep";

import type { InstallStart } from "../bindings/InstallStart";
import type { InstallStartOptions } from "../bindings/InstallStartOptions";
import { AppError } from "./errors";

export const FAKE_APP_ID = "com.example.demo-app";
export const FAKE_SANDBOX_URL = "http://127.0.0.1:12111";

export const DEFAULT_SANDBOX: SandboxStatus = {
  state: "running",
  base_url: FAKE_SANDBOX_URL,
  message: null,
  auto_consent: false,
  account_id: "acct_1FakeDeveloper0",
  app_id: FAKE_APP_ID,
  registered_from: "/home/dev/demo-app/stripe-app.json",
};

export const DEFAULT_KEYCHAIN: KeychainStatus = { store: "os-keychain", problem: null, service: "dev.appdeck.desktop.dev" };

export function fakeAccount(name: string, mode: Mode, extra: Partial<AccountProfile> = {}): AccountProfile {
  return {
    name,
    account_id: `acct_${name.replace(/[^A-Za-z0-9]/g, "").slice(0, 8)}${mode === "live" ? "Live" : "Test"}01`,
    mode,
    // The preview has no Stripe sandboxes: the kind follows the mode.
    kind: mode === "live" ? "live" : mode === "local" ? "local" : "test",
    credential: "secret-key",
    api_base: mode === "local" ? FAKE_SANDBOX_URL : "https://api.stripe.com",
    display_name: null,
    added_at: "2025-01-01T00:00:00Z",
    ...extra,
  };
}

export function fakeInstall(install: string, extra: Partial<InstallRecord> = {}): InstallRecord {
  return {
    install,
    app: FAKE_APP_ID,
    account: "local",
    mode: "local",
    stripe_user_id: "acct_1FakeInstall01",
    livemode: false,
    scope: "customer_read event_read secret_write",
    kind: "oauth",
    access_expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    status: "active",
    installed_at: new Date(Date.now() - 600_000).toISOString(),
    refreshed_at: null,
    access_token_hint: "sk_test_…f3a9",
    refresh_token_hint: "rt_…41aa",
    ...extra,
  };
}

export function isLoopbackUri(uri: string): boolean {
  try {
    const host = new URL(uri).hostname;
    return host === "127.0.0.1" || host === "[::1]" || host === "::1" || host === "localhost";
  } catch {
    return false;
  }
}

type StepSpec = { from: Actor; to: Actor; kind: string; summary: string; detail?: Record<string, unknown>; duration?: number };

interface Flow {
  id: string;
  state: string;
  started: number;
  onStep: (step: TimelineStep) => void;
  steps: TimelineStep[];
  pending: StepSpec[];
  /** Steps left that wait for a pasted URL (non-loopback redirect URIs). */
  afterPaste: StepSpec[];
  finish: () => InstallOutcome;
  done: Promise<InstallOutcome>;
  resolve: (o: InstallOutcome) => void;
  reject: (e: AppError) => void;
  settled: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  deadline: ReturnType<typeof setTimeout> | null;
}

export interface WorldOptions {
  keychain?: KeychainStatus;
  /** What `retry_keychain` finds (default: unchanged). */
  keychainRetry?: KeychainStatus;
  accounts?: AccountProfile[];
  current?: string | null;
  installs?: InstallRecord[];
  providers?: ProviderConfig[];
  /** Delay between flow steps in ms, or "manual" for tests that call `advanceFlows()`. */
  stepMs?: number | "manual";
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}_${(++counter).toString(36).padStart(4, "0")}${Math.random().toString(36).slice(2, 8)}`;

export class FakeWorld {
  keychain: KeychainStatus;
  keychainRetry: KeychainStatus | null;
  accounts: AccountProfile[];
  current: string | null;
  installs: InstallRecord[];
  providers: ProviderConfig[];
  stepMs: number | "manual";
  liveUnlocked = false;
  private flows = new Map<string, Flow>();

  constructor(options: WorldOptions, private readonly sandbox: () => SandboxStatus | null) {
    this.keychain = options.keychain ?? DEFAULT_KEYCHAIN;
    this.keychainRetry = options.keychainRetry ?? null;
    this.accounts = options.accounts ?? [fakeAccount("local", "local", { account_id: DEFAULT_SANDBOX.account_id ?? "acct_local" })];
    this.current = options.current === undefined ? (this.accounts[0]?.name ?? null) : options.current;
    this.installs = options.installs ?? [fakeInstall("inst_demo1")];
    this.providers = options.providers ?? [];
    this.stepMs = options.stepMs ?? 130;
  }

  private base(): string {
    return this.sandbox()?.base_url ?? FAKE_SANDBOX_URL;
  }

  requireStore(): void {
    if (this.keychain.store === null) {
      const problem = this.keychain.problem ?? { code: "keychain-unavailable", message: "No keychain." };
      throw new AppError(problem.code, problem.message);
    }
  }

  // Accounts

  accountsView(): AccountsView {
    return { current: this.current, accounts: this.accounts.map((a) => ({ ...a })) };
  }

  account(name: string | null | undefined): AccountProfile {
    const wanted = name ?? this.current;
    const found = this.accounts.find((a) => a.name === wanted);
    if (!found) throw new AppError("account-not-found", wanted ? `No account named ${wanted}.` : "No current account: add one first.");
    return found;
  }

  addAccount(name: string, key: string, apiBase: string | undefined, skipCheck: boolean): AccountProfile {
    if (!name.trim()) throw new AppError("invalid-input", "An account needs a name.");
    if (this.accounts.some((a) => a.name === name)) throw new AppError("account-exists", `An account named ${name} already exists.`);
    const match = /^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/.exec(key.trim());
    if (!match && !skipCheck) throw new AppError("key-rejected", "GET /v1/account refused the key: check that you pasted a whole secret or restricted key.");
    this.requireStore();
    const mode: Mode = match?.[2] === "live" ? "live" : apiBase && isLoopbackUri(apiBase) ? "local" : "test";
    const profile = fakeAccount(name, mode, {
      credential: match?.[1] === "rk" ? "restricted-key" : "secret-key",
      api_base: apiBase || "https://api.stripe.com",
      display_name: skipCheck ? null : `${name}@example.com`,
      added_at: new Date().toISOString(),
    });
    this.accounts.push(profile);
    if (this.current === null) this.current = name;
    return profile;
  }

  removeAccount(name: string): AccountsView {
    this.account(name);
    this.accounts = this.accounts.filter((a) => a.name !== name);
    if (this.current === name) this.current = this.accounts[0]?.name ?? null;
    return this.accountsView();
  }

  useAccount(name: string): AccountsView {
    this.account(name);
    this.current = name;
    return this.accountsView();
  }

  // Install links and flows

  installLink(account: string | undefined, redirectUri: string | undefined, platform: boolean, state = "st_preview"): string {
    const acct = this.account(account);
    const base = acct.mode === "local" ? this.base() : "https://marketplace.stripe.com";
    if (platform) return `${base}/apps/install/link/${FAKE_APP_ID}?state=${state}`;
    const redirect = redirectUri ?? "http://127.0.0.1/callback";
    return `${base}/oauth/v2/authorize?client_id=ca_FakeClient01&redirect_uri=${encodeURIComponent(redirect)}&state=${state}`;
  }

  startInstall(options: InstallStartOptions, onStep: (step: TimelineStep) => void): InstallStart {
    const acct = this.account(options.account);
    this.requireStore();
    const state = `${acct.mode}.${Math.random().toString(36).slice(2, 14)}`;
    const asked = options.redirect_uri ?? "http://127.0.0.1/callback";
    const loopback = isLoopbackUri(asked);
    const redirectUri = loopback && !/:\d+\//.test(asked) ? asked.replace(/^(http:\/\/[^/]+)/, "$1:53682") : asked;
    const authorizeUrl = this.installLink(acct.name, redirectUri, options.platform, state);
    const code = "ac_" + Math.random().toString(36).slice(2, 12);
    const head: StepSpec[] = [
      ...(loopback ? [{ from: "appdeck", to: "loopback", kind: "listening", summary: `Listening on ${new URL(redirectUri).host}`, detail: { redirect_uri: redirectUri } } as StepSpec] : []),
      { from: "appdeck", to: "browser", kind: "authorize-url", summary: "Open the authorize URL in the system browser", detail: { url: authorizeUrl, state } },
      { from: "browser", to: "stripe", kind: "browser", summary: "Consent page shown", duration: 40 },
    ];
    const tail: StepSpec[] = [
      { from: "stripe", to: loopback ? "loopback" : "appdeck", kind: "callback", summary: `Callback with code and state`, detail: { code: "ac_…" + code.slice(-4), state } },
      { from: "appdeck", to: "stripe", kind: "token-request", summary: "POST /v1/oauth/token (authorization_code)", detail: { grant_type: "authorization_code", code: "ac_…" + code.slice(-4) } },
      { from: "stripe", to: "appdeck", kind: "token-response", summary: "200: access and refresh tokens", detail: { access_token: "sk_test_…f3a9", refresh_token: "rt_…41aa", scope: "customer_read event_read" }, duration: 35 },
      { from: "appdeck", to: "keychain", kind: "keychain-write", summary: "Tokens stored in the keychain", duration: 6 },
      { from: "appdeck", to: "appdeck", kind: "recorded", summary: "Install recorded" },
    ];
    let resolve!: (o: InstallOutcome) => void;
    let reject!: (e: AppError) => void;
    const done = new Promise<InstallOutcome>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    done.catch(() => undefined);
    const flow: Flow = {
      id: nextId("flow"),
      state,
      started: Date.now(),
      onStep,
      steps: [],
      pending: loopback ? [...head, ...tail] : head,
      afterPaste: loopback ? [] : tail,
      finish: () => {
        const record = fakeInstall(nextId("inst"), {
          account: acct.name,
          mode: acct.mode,
          livemode: acct.mode === "live",
          kind: options.platform ? "platform" : "oauth",
          stripe_user_id: "acct_1Installed" + Math.random().toString(36).slice(2, 6),
          installed_at: new Date().toISOString(),
          ...(options.platform ? { access_expires_at: null, access_token_hint: null, refresh_token_hint: null } : {}),
        });
        this.installs.push(record);
        return { install: record, timeline: flow.steps };
      },
      done,
      resolve,
      reject,
      settled: false,
      timer: null,
      deadline: null,
    };
    this.flows.set(flow.id, flow);
    const timeoutSecs = options.timeout_secs;
    if (timeoutSecs !== undefined) {
      flow.deadline = setTimeout(
        () =>
          this.fail(
            flow,
            "oauth-timeout",
            `No callback within ${timeoutSecs} s. If the browser showed an error page, check that the redirect URI is registered (allowed_redirect_uris).`,
          ),
        timeoutSecs * 1000,
      );
    }
    this.schedule(flow);
    return { flow: flow.id, authorize_url: authorizeUrl, redirect_uri: redirectUri, loopback, via_backend: false };
  }

  private emit(flow: Flow, spec: StepSpec): void {
    const step: TimelineStep = {
      at_ms: (Date.now() - flow.started),
      duration_ms: spec.duration === undefined ? null : (spec.duration),
      from: spec.from,
      to: spec.to,
      kind: spec.kind,
      summary: spec.summary,
      detail: spec.detail ?? {},
    };
    flow.steps.push(step);
    flow.onStep(step);
  }

  private settle(flow: Flow): void {
    flow.settled = true;
    if (flow.timer) clearTimeout(flow.timer);
    if (flow.deadline) clearTimeout(flow.deadline);
  }

  private fail(flow: Flow, code: AppError["code"], message: string): void {
    if (flow.settled) return;
    this.settle(flow);
    this.emit(flow, { from: "appdeck", to: "appdeck", kind: "error", summary: message, detail: { code } });
    flow.reject(new AppError(code, message));
  }

  /** Emits the flow's next step; finishes it after the last one. */
  private advance(flow: Flow): void {
    if (flow.settled) return;
    const spec = flow.pending.shift();
    if (spec) this.emit(flow, spec);
    if (flow.pending.length === 0 && flow.afterPaste.length === 0) {
      this.settle(flow);
      flow.resolve(flow.finish());
    }
  }

  private schedule(flow: Flow): void {
    if (this.stepMs === "manual" || flow.settled || flow.pending.length === 0) return;
    flow.timer = setTimeout(() => {
      this.advance(flow);
      this.schedule(flow);
    }, this.stepMs);
  }

  /** Tests with `stepMs: "manual"`: emit the next step of every running flow. */
  advanceFlows(): void {
    for (const flow of this.flows.values()) if (!flow.settled && flow.pending.length > 0) this.advance(flow);
  }

  private flow(id: string): Flow {
    const flow = this.flows.get(id);
    if (!flow) throw new AppError("invalid-input", `No install flow ${id}.`);
    return flow;
  }

  waitInstall(id: string): Promise<InstallOutcome> {
    return this.flow(id).done;
  }

  cancelInstall(id: string): void {
    this.fail(this.flow(id), "oauth-cancelled", "The install flow was cancelled.");
  }

  pasteUrl(id: string, url: string): Promise<InstallOutcome> {
    const flow = this.flow(id);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new AppError("oauth-callback-invalid", "That is not a URL: paste the whole address from the browser.");
    }
    const error = parsed.searchParams.get("error");
    if (error === "access_denied") {
      this.fail(flow, "oauth-access-denied", parsed.searchParams.get("error_description") ?? "The install was declined.");
      return flow.done;
    }
    const state = parsed.searchParams.get("state");
    if (state === null) throw new AppError("oauth-missing-state", "The URL has no state parameter.");
    if (state !== flow.state) throw new AppError("oauth-state-mismatch", "The state in that URL does not belong to this flow.");
    if (!parsed.searchParams.get("code")) throw new AppError("oauth-callback-invalid", "The URL has no code parameter.");
    flow.pending.push(...flow.afterPaste);
    flow.afterPaste = [];
    while (flow.pending.length > 0) this.advance(flow);
    return flow.done;
  }

  // Tokens

  install(id: string): InstallRecord {
    const found = this.installs.find((i) => i.install === id);
    if (!found) throw new AppError("install-not-found", `No install ${id}.`);
    return found;
  }

  refreshInstall(id: string): InstallRecord {
    const record = this.install(id);
    if (record.status === "needs-reauthorization") {
      throw new AppError("needs-reauthorization", "The refresh token was refused (invalid_grant): run the install flow again.");
    }
    if (record.kind !== "oauth") throw new AppError("invalid-input", "Platform installs hold no tokens to refresh.");
    record.access_expires_at = new Date(Date.now() + 3_600_000).toISOString();
    record.refreshed_at = new Date().toISOString();
    record.access_token_hint = `sk_test_…${Math.random().toString(16).slice(2, 6)}`;
    record.refresh_token_hint = `rt_…${Math.random().toString(16).slice(2, 6)}`;
    return { ...record };
  }

  forgetInstall(id: string): void {
    this.install(id);
    this.installs = this.installs.filter((i) => i.install !== id);
  }

  // Providers

  provider(name: string): ProviderConfig {
    const found = this.providers.find((p) => p.name === name);
    if (!found) throw new AppError("provider-not-found", `No provider named ${name}.`);
    return found;
  }

  addProvider(config: ProviderConfig, clientSecret: string | undefined): ProviderConfig {
    if (this.providers.some((p) => p.name === config.name)) throw new AppError("provider-exists", `A provider named ${config.name} already exists.`);
    for (const url of [config.authorize_url, config.token_url]) {
      try {
        new URL(url);
      } catch {
        throw new AppError("invalid-input", `${url || "(empty)"} is not a URL.`);
      }
    }
    if (clientSecret) this.requireStore();
    const saved: ProviderConfig = { ...config, has_client_secret: Boolean(clientSecret), access_expires_at: null, logged_in_at: null, has_refresh_token: false };
    this.providers.push(saved);
    return saved;
  }

  removeProvider(name: string): void {
    this.provider(name);
    this.providers = this.providers.filter((p) => p.name !== name);
  }

  loginProvider(name: string, timeoutSecs: number | undefined, onStep: (step: TimelineStep) => void): Promise<ProviderLogin> {
    const provider = this.provider(name);
    this.requireStore();
    const redirectUri = "http://127.0.0.1:53990/callback";
    const pkce = {
      code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
      state: Math.random().toString(36).slice(2, 14),
      redirect_uri: redirectUri,
    };
    const started = this.startInstall({ platform: false, redirect_uri: redirectUri, timeout_secs: timeoutSecs }, onStep);
    return this.waitInstall(started.flow).then((outcome) => {
      this.installs = this.installs.filter((i) => i.install !== outcome.install.install);
      provider.logged_in_at = new Date().toISOString();
      provider.access_expires_at = new Date(Date.now() + 3_600_000).toISOString();
      provider.has_refresh_token = true;
      return { provider: { ...provider }, pkce, scopes_granted: [...provider.scopes], access_token_hint: "ya29…9f2c", timeline: outcome.timeline };
    });
  }

  refreshProvider(name: string): ProviderConfig {
    const provider = this.provider(name);
    if (!provider.has_refresh_token) throw new AppError("needs-reauthorization", `${name} has no refresh token: log in first.`);
    provider.access_expires_at = new Date(Date.now() + 3_600_000).toISOString();
    return { ...provider };
  }
}
