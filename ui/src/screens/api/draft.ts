import type { ApiRequest } from "../../bindings/ApiRequest";
import type { AuthAs } from "../../bindings/AuthAs";

export interface Row {
  id: number;
  key: string;
  value: string;
}

/** The composer's editable state; `as` is `account:` (current), `account:NAME` or `install:ID`. */
export interface Draft {
  method: string;
  path: string;
  rows: Row[];
  rawMode: boolean;
  rawBody: string;
  stripeAccount: string;
  stripeVersion: string;
  idempotencyKey: string;
  as: string;
}

let rowId = 0;
export const newRow = (key = "", value = ""): Row => ({ id: ++rowId, key, value });

export const emptyDraft = (): Draft => ({
  method: "GET",
  path: "/v1/customers",
  rows: [newRow("limit", "10")],
  rawMode: false,
  rawBody: "",
  stripeAccount: "",
  stripeVersion: "",
  idempotencyKey: "",
  as: "account:",
});

export function authOf(as: string): AuthAs {
  if (as.startsWith("install:")) return { kind: "install", install: as.slice("install:".length) };
  const name = as.slice("account:".length);
  return { kind: "account", name: name || null };
}

export function asOf(auth: AuthAs): string {
  return auth.kind === "install" ? `install:${auth.install}` : `account:${auth.name ?? ""}`;
}

const orNull = (s: string) => (s.trim() === "" ? null : s.trim());

/** What `api_send` receives: bracket-key rows as typed (empty keys dropped), or the raw body. */
export function toRequest(d: Draft): ApiRequest {
  const raw = d.rawMode && d.method !== "GET";
  return {
    method: d.method,
    path: d.path.trim(),
    params: raw ? [] : d.rows.filter((r) => r.key.trim() !== "").map((r) => [r.key.trim(), r.value] as [string, string]),
    raw_body: raw ? d.rawBody : null,
    stripe_account: orNull(d.stripeAccount),
    stripe_version: orNull(d.stripeVersion),
    idempotency_key: orNull(d.idempotencyKey),
    auth: authOf(d.as),
  };
}

export function fromRequest(r: ApiRequest): Draft {
  return {
    method: r.method.toUpperCase(),
    path: r.path,
    rows: r.params.length ? r.params.map(([k, v]) => newRow(k, v)) : [newRow()],
    rawMode: r.raw_body !== null,
    rawBody: r.raw_body ?? "",
    stripeAccount: r.stripe_account ?? "",
    stripeVersion: r.stripe_version ?? "",
    idempotencyKey: r.idempotency_key ?? "",
    as: asOf(r.auth),
  };
}
