/**
 * Secret Store requests, mirroring crates/core/src/console/secrets.rs: each operation is an
 * `ApiRequest` for `/v1/apps/secrets*` sent as the install through `api_send`, like any call.
 */
import type { ApiRequest } from "../bindings/ApiRequest";

export type SecretScope = { type: "account" } | { type: "user"; user: string };

function scopeRows(scope: SecretScope): [string, string][] {
  return scope.type === "account"
    ? [["scope[type]", "account"]]
    : [
        ["scope[type]", "user"],
        ["scope[user]", scope.user],
      ];
}

function base(method: string, path: string, install: string, params: [string, string][]): ApiRequest {
  return {
    method,
    path,
    params,
    raw_body: null,
    stripe_account: null,
    stripe_version: null,
    idempotency_key: null,
    auth: { kind: "install", install },
  };
}

export function listSecrets(install: string, scope: SecretScope, limit?: number): ApiRequest {
  const params = scopeRows(scope);
  if (limit !== undefined) params.push(["limit", String(limit)]);
  return base("GET", "/v1/apps/secrets", install, params);
}

export function findSecret(install: string, scope: SecretScope, name: string): ApiRequest {
  return base("GET", "/v1/apps/secrets/find", install, [["name", name], ...scopeRows(scope), ["expand[]", "payload"]]);
}

export function setSecret(install: string, scope: SecretScope, name: string, payload: string, expiresAt?: number): ApiRequest {
  const params: [string, string][] = [["name", name], ["payload", payload], ...scopeRows(scope)];
  if (expiresAt !== undefined) params.push(["expires_at", String(expiresAt)]);
  return base("POST", "/v1/apps/secrets", install, params);
}

export function deleteSecret(install: string, scope: SecretScope, name: string): ApiRequest {
  return base("POST", "/v1/apps/secrets/delete", install, [["name", name], ...scopeRows(scope)]);
}

/** A Secret Store object as the API returns it (payload only from `find` with `expand[]=payload`). */
export interface StoredSecret {
  id: string;
  name: string;
  created: number;
  expires_at: number | null;
  payload?: string | null;
  scope: { type: string; user?: string };
}
