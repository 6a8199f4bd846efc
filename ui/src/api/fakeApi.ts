/**
 * A tiny in-memory Stripe API for the fake backend: customers with pagination, the Secret
 * Store, the endpoint catalog, history, curl and signatures. Plausible, not faithful.
 */
import type { ApiRequest } from "../bindings/ApiRequest";
import type { ApiResponse } from "../bindings/ApiResponse";
import type { Endpoint } from "../bindings/Endpoint";
import type { HistoryEntry } from "../bindings/HistoryEntry";
import type { Mode } from "../bindings/Mode";
import type { StripeErrorParts } from "../bindings/StripeErrorParts";

import { AppError } from "./errors";
import type { FakeWorld } from "./fakeWorld";

export const FAKE_ENDPOINTS: Endpoint[] = [
  ep("GET", "/v1/account", "Retrieve the account", null),
  ep("GET", "/v1/customers", "List customers", "customer_read"),
  ep("POST", "/v1/customers", "Create a customer", "customer_write"),
  ep("GET", "/v1/customers/search", "Search customers", "customer_read"),
  ep("GET", "/v1/customers/{id}", "Retrieve a customer", "customer_read"),
  ep("POST", "/v1/customers/{id}", "Update a customer", "customer_write"),
  ep("DELETE", "/v1/customers/{id}", "Delete a customer", "customer_write"),
  ep("GET", "/v1/invoices", "List invoices", "invoice_read"),
  ep("POST", "/v1/invoices", "Create an invoice", "invoice_write"),
  ep("GET", "/v1/charges", "List charges", "charge_read"),
  ep("GET", "/v1/products", "List products", "product_read"),
  ep("GET", "/v1/prices", "List prices", "product_read"),
  ep("GET", "/v1/events", "List events", "event_read"),
  ep("GET", "/v1/apps/secrets", "List secrets", "secret_write"),
  ep("GET", "/v1/apps/secrets/find", "Find a secret", "secret_write"),
  ep("POST", "/v1/apps/secrets", "Set a secret", "secret_write"),
  ep("POST", "/v1/apps/secrets/delete", "Delete a secret", "secret_write"),
];

function ep(method: string, path: string, description: string, permission: string | null): Endpoint {
  return { method, path, description, permission };
}

function templateMatches(template: string, path: string): boolean {
  const a = template.split("/");
  const b = path.split("/");
  return a.length === b.length && a.every((seg, i) => seg === b[i] || (seg.startsWith("{") && b[i] !== ""));
}

export function endpointFor(method: string, path: string): Endpoint | null {
  const exact = FAKE_ENDPOINTS.find((e) => e.method === method && e.path === path);
  return exact ?? FAKE_ENDPOINTS.find((e) => e.method === method && templateMatches(e.path, path)) ?? null;
}

/** `customer_read` is satisfied by `customer_read` or `customer_write`. */
export function permits(granted: string[], needed: string): boolean {
  return granted.includes(needed) || (needed.endsWith("_read") && granted.includes(needed.replace(/_read$/, "_write")));
}

type Obj = Record<string, unknown>;

function hex(n: number): string {
  return Math.floor(n).toString(16).padStart(8, "0");
}

/** Not HMAC: a deterministic stand-in so the signature screen round-trips in the fake. */
export function fakeMac(secret: string, t: number, payload: string): string {
  let out = "";
  for (let round = 0; round < 8; round++) {
    let h = 0x811c9dc5 ^ round;
    for (const ch of `${round}|${secret}|${t}.${payload}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += hex(h);
  }
  return out;
}

export function fakeVerify(secret: string, header: string, payload: string, tolerance: number): number {
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  const sigs = parts.filter(([k]) => k === "v1").map(([, v]) => v ?? "");
  if (!Number.isFinite(t) || sigs.length === 0) throw new AppError("invalid-input", "The signature header is malformed; expected t=<unix>,v1=<hex>.");
  if (!sigs.includes(fakeMac(secret, t, payload))) throw new AppError("signature-mismatch", "No v1 signature matches: the payload or the secret differs from what was signed.");
  const age = Math.floor(Date.now() / 1000) - t;
  if (tolerance > 0 && Math.abs(age) > tolerance) throw new AppError("signature-expired", `The signature is ${age} seconds old, outside the ${tolerance}-second tolerance.`);
  return t;
}

interface Secret {
  id: string;
  name: string;
  payload: string;
  created: number;
  expires_at: number | null;
  scope: { type: string; user?: string };
}

interface Job {
  done: Promise<{ data: unknown[]; complete: boolean }>;
  cancelled: boolean;
}

export class FakeApi {
  customers: Obj[] = [];
  private secrets = new Map<string, Secret>();
  history: HistoryEntry[] = [];
  private jobs = new Map<string, Job>();
  private requestCount = 0;

  constructor(
    private readonly world: FakeWorld,
    customerCount: number,
  ) {
    for (let i = 0; i < customerCount; i++) this.customers.push(this.customer({ email: `customer${i + 1}@example.com`, name: `Customer ${i + 1}` }));
  }

  private customer(fields: Obj): Obj {
    const n = this.customers.length + 1;
    return {
      id: `cus_Fake${n.toString().padStart(6, "0")}`,
      object: "customer",
      created: 1700000000 + n * 60,
      email: null,
      name: null,
      livemode: false,
      metadata: {},
      ...fields,
    };
  }

  private resolveAuth(request: ApiRequest): { mode: Mode; scope: string[] | null; base: string } {
    if (request.auth.kind === "account") {
      const acct = this.world.account(request.auth.name);
      return { mode: acct.mode, scope: null, base: acct.api_base };
    }
    const inst = this.world.install(request.auth.install);
    if (inst.status === "needs-reauthorization") throw new AppError("needs-reauthorization", "This install must be authorized again.");
    const acct = this.world.accounts.find((a) => a.name === inst.account);
    return { mode: inst.livemode ? "live" : inst.mode, scope: inst.scope.split(/[\s,]+/).filter(Boolean), base: acct?.api_base ?? "http://127.0.0.1:12111" };
  }

  send(request: ApiRequest): ApiResponse {
    const started = performance.now();
    const method = request.method.toUpperCase();
    const { mode, scope, base } = this.resolveAuth(request);
    if (mode === "live" && method !== "GET" && !this.world.liveUnlocked) {
      throw new AppError("live-write-locked", `${method} in live mode is locked: unlock live writes for this session first.`);
    }
    const path = request.path.startsWith("http") ? new URL(request.path).pathname : request.path.split("?")[0] ?? "";
    const params = [...request.params];
    if (request.raw_body) for (const [k, v] of new URLSearchParams(request.raw_body)) params.push([k, v]);
    const [status, body] = this.route(method, path, params, scope);
    const requestId = `req_${(++this.requestCount).toString().padStart(6, "0")}${Math.random().toString(36).slice(2, 8)}`;
    const idempotencyKey = method === "POST" ? (request.idempotency_key ?? `appdeck-${crypto.randomUUID()}`) : null;
    const elapsed = Math.max(1, Math.round(performance.now() - started) + 12);
    const error = (body as { error?: Obj }).error;
    const stripeError: StripeErrorParts | null = error
      ? {
          type: (error.type as string) ?? null,
          code: (error.code as string) ?? null,
          param: (error.param as string) ?? null,
          message: (error.message as string) ?? null,
          doc_url: (error.doc_url as string) ?? null,
        }
      : null;
    const query = method === "GET" && params.length ? `?${params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")}` : "";
    const response: ApiResponse = {
      status,
      headers: [
        ["content-type", "application/json"],
        ["request-id", requestId],
        ["stripe-version", request.stripe_version ?? "2024-06-20"],
        ...(idempotencyKey ? ([["idempotency-key", idempotencyKey]] as [string, string][]) : []),
      ],
      request_id: requestId,
      elapsed_ms: (elapsed),
      body: JSON.stringify(body, null, 2),
      stripe_error: stripeError,
      mode,
      method,
      url: `${base.replace(/\/$/, "")}${path}${query}`,
      idempotency_key: idempotencyKey,
      refreshed: false,
      attempts: [{ status, error: null, waited_ms: 0, elapsed_ms: elapsed }],
    };
    this.history.unshift({
      id: `h_${this.requestCount}`,
      at: new Date().toISOString(),
      request: { ...request, params: request.params.map(([k, v]) => [k, v] as [string, string]) },
      status,
      elapsed_ms: (elapsed),
      request_id: requestId,
      mode,
    });
    return response;
  }

  private error(status: number, type: string, message: string, extra: Obj = {}): [number, Obj] {
    return [status, { error: { type, message, ...extra } }];
  }

  private route(method: string, path: string, params: [string, string][], scope: string[] | null): [number, Obj] {
    const endpoint = endpointFor(method, path);
    if (!endpoint) return this.error(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
    if (scope && endpoint.permission && !permits(scope, endpoint.permission)) {
      return this.error(
        403,
        "invalid_request_error",
        `The provided key does not have the required permissions for this endpoint. Having the '${endpoint.permission}' permission would allow this request to continue.`,
        { code: "permission_denied", doc_url: "https://stripe.com/docs/error-codes/permission-denied" },
      );
    }
    const get = (k: string) => params.find(([key]) => key === k)?.[1];
    const id = path.split("/")[3];
    switch (`${method} ${endpoint.path}`) {
      case "GET /v1/account":
        return [200, { id: "acct_1FakeDeveloper0", object: "account", email: "dev@example.com", country: "US", charges_enabled: true }];
      case "GET /v1/customers":
        return [200, this.list("/v1/customers", this.customers.filter((c) => !get("email") || c.email === get("email")), params)];
      case "POST /v1/customers": {
        const fields: Obj = { metadata: {} };
        for (const [k, v] of params) {
          const meta = /^metadata\[(.+)\]$/.exec(k);
          if (meta?.[1]) (fields.metadata as Obj)[meta[1]] = v;
          else if (["email", "name", "description", "phone"].includes(k)) fields[k] = v;
        }
        const created = this.customer(fields);
        this.customers.unshift(created);
        return [200, created];
      }
      case "GET /v1/customers/{id}":
      case "POST /v1/customers/{id}":
      case "DELETE /v1/customers/{id}": {
        const found = this.customers.find((c) => c.id === id);
        if (!found) return this.error(404, "invalid_request_error", `No such customer: '${id}'`, { code: "resource_missing", param: "id", doc_url: "https://stripe.com/docs/error-codes/resource-missing" });
        if (method === "DELETE") {
          this.customers = this.customers.filter((c) => c !== found);
          return [200, { id, object: "customer", deleted: true }];
        }
        if (method === "POST") for (const [k, v] of params) if (["email", "name", "description"].includes(k)) found[k] = v;
        return [200, found];
      }
      case "GET /v1/customers/search":
        return [200, { object: "search_result", data: this.customers.filter((c) => String(c.email).includes(get("query") ?? "")).slice(0, 10), has_more: false }];
      case "GET /v1/apps/secrets":
        return [200, this.list("/v1/apps/secrets", this.scoped(params).map((s) => this.secretView(s, false)), params)];
      case "GET /v1/apps/secrets/find": {
        const found = this.scoped(params).find((s) => s.name === get("name"));
        if (!found) return this.error(404, "invalid_request_error", `No secret named '${get("name") ?? ""}' in this scope.`, { code: "resource_missing", param: "name" });
        return [200, this.secretView(found, params.some(([k, v]) => k === "expand[]" && v === "payload"))];
      }
      case "POST /v1/apps/secrets": {
        const name = get("name");
        if (!name || get("payload") === undefined) return this.error(400, "invalid_request_error", "Missing required param: name and payload.", { param: name ? "payload" : "name" });
        const scopeKey = this.scopeKey(params);
        const secret: Secret = {
          id: `appsecret_${Math.random().toString(36).slice(2, 12)}`,
          name,
          payload: get("payload") ?? "",
          created: Math.floor(Date.now() / 1000),
          expires_at: get("expires_at") ? Number(get("expires_at")) : null,
          scope: get("scope[type]") === "user" ? { type: "user", user: get("scope[user]") ?? "" } : { type: "account" },
        };
        this.secrets.set(`${scopeKey}|${name}`, secret);
        return [200, this.secretView(secret, false)];
      }
      case "POST /v1/apps/secrets/delete": {
        const key = `${this.scopeKey(params)}|${get("name") ?? ""}`;
        const found = this.secrets.get(key);
        if (!found) return this.error(404, "invalid_request_error", `No secret named '${get("name") ?? ""}' in this scope.`, { code: "resource_missing", param: "name" });
        this.secrets.delete(key);
        return [200, { ...this.secretView(found, false), deleted: true }];
      }
      default:
        return [200, this.list(endpoint.path, [], params)];
    }
  }

  private scopeKey(params: [string, string][]): string {
    const type = params.find(([k]) => k === "scope[type]")?.[1] ?? "account";
    const user = params.find(([k]) => k === "scope[user]")?.[1] ?? "";
    return type === "user" ? `user:${user}` : "account";
  }

  private scoped(params: [string, string][]): Secret[] {
    const prefix = `${this.scopeKey(params)}|`;
    return [...this.secrets.entries()].filter(([k]) => k.startsWith(prefix)).map(([, s]) => s);
  }

  private secretView(s: Secret, withPayload: boolean): Obj {
    return { id: s.id, object: "apps.secret", name: s.name, created: s.created, expires_at: s.expires_at, livemode: false, deleted: false, scope: s.scope, ...(withPayload ? { payload: s.payload } : {}) };
  }

  private list(url: string, all: Obj[], params: [string, string][]): Obj {
    const get = (k: string) => params.find(([key]) => key === k)?.[1];
    const limit = Math.min(100, Math.max(1, Number(get("limit") ?? 10) || 10));
    let start = 0;
    const after = get("starting_after");
    if (after) start = all.findIndex((o) => o.id === after) + 1;
    const data = all.slice(start, start + limit);
    return { object: "list", url, has_more: start + limit < all.length, data };
  }

  nextPage(request: ApiRequest, response: ApiResponse): ApiRequest | null {
    if (response.status !== 200 || request.method.toUpperCase() !== "GET") return null;
    let body: { object?: string; has_more?: boolean; data?: { id?: string }[] };
    try {
      body = JSON.parse(response.body) as typeof body;
    } catch {
      return null;
    }
    const last = body.data?.[body.data.length - 1]?.id;
    if (body.object !== "list" || !body.has_more || !last) return null;
    return { ...request, params: [...request.params.filter(([k]) => k !== "starting_after" && k !== "ending_before"), ["starting_after", last]] };
  }

  fetchAll(request: ApiRequest, max: number, onProgress: (p: { count: number; pages: number }) => void, pageMs: number): string {
    const id = `job_${Math.random().toString(36).slice(2, 10)}`;
    const job: Job = { cancelled: false, done: Promise.resolve({ data: [], complete: false }) };
    job.done = (async () => {
      const data: unknown[] = [];
      let pages = 0;
      let current: ApiRequest | null = request;
      while (current) {
        if (job.cancelled) return { data, complete: false };
        const response = this.send(current);
        if (response.status !== 200) return { data, complete: false };
        pages += 1;
        const body = JSON.parse(response.body) as { data?: unknown[] };
        data.push(...(body.data ?? []));
        onProgress({ count: Math.min(data.length, max), pages });
        if (data.length >= max) return { data: data.slice(0, max), complete: false };
        current = this.nextPage(current, response);
        await new Promise((r) => setTimeout(r, pageMs));
      }
      return { data, complete: true };
    })();
    this.jobs.set(id, job);
    return id;
  }

  job(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new AppError("invalid-input", `No fetch job ${id}.`);
    return job;
  }

  curl(request: ApiRequest, envVar?: string): string {
    const method = request.method.toUpperCase();
    let base = "https://api.stripe.com";
    try {
      base = this.resolveAuth(request).base;
    } catch {
      // Unknown account: still show the shape.
    }
    const lines = [`curl ${method === "GET" ? "-G " : method === "DELETE" ? "-X DELETE " : ""}${base.replace(/\/$/, "")}${request.path}`];
    lines.push(`  -u "$${envVar || "STRIPE_SECRET_KEY"}:"`);
    if (request.stripe_account) lines.push(`  -H "Stripe-Account: ${request.stripe_account}"`);
    if (request.stripe_version) lines.push(`  -H "Stripe-Version: ${request.stripe_version}"`);
    if (request.idempotency_key) lines.push(`  -H "Idempotency-Key: ${request.idempotency_key}"`);
    for (const [k, v] of request.params) lines.push(`  -d "${k}=${v.replace(/"/g, '\\"')}"`);
    if (request.raw_body) lines.push(`  --data-raw '${request.raw_body}'`);
    return lines.join(" \\\n");
  }
}
