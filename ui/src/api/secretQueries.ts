/**
 * The Secret Store's use cases, one hook each: core builds and sends every call (as the install),
 * records it in the history and answers typed objects; a refusal from Stripe rejects `api-error`.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SecretList } from "../bindings/SecretList";
import type { SecretScope } from "../bindings/SecretScope";
import type { StoredSecret } from "../bindings/StoredSecret";
import { useBackend } from "./context";
import type { AppError } from "./errors";

export const secretKeys = {
  all: ["secrets"] as const,
  list: (install: string, scope: SecretScope) => ["secrets", install, scope] as const,
};

export interface SecretTarget {
  install: string;
  scope: SecretScope;
  name: string;
}

/** The scope's secrets (no payloads); off until there is an install and a complete scope. */
export function useSecretList(install: string, scope: SecretScope, enabled: boolean) {
  const backend = useBackend();
  return useQuery<SecretList, AppError>({
    queryKey: secretKeys.list(install, scope),
    queryFn: () => backend.secretsList(install, scope),
    enabled: enabled && install !== "",
  });
}

/** Reveals one secret's payload: an explicit request, so a mutation (never cached as a query). */
export function useFindSecret() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<StoredSecret, AppError, SecretTarget>({
    mutationFn: ({ install, scope, name }) => backend.secretsFind(install, scope, name),
    onSettled: () => client.invalidateQueries({ queryKey: ["apiHistory"] }),
  });
}

export function useSetSecret() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<StoredSecret, AppError, SecretTarget & { payload: string; expiresAt?: number }>({
    mutationFn: ({ install, scope, name, payload, expiresAt }) => backend.secretsSet(install, scope, name, payload, expiresAt),
    onSettled: () => Promise.all([secretKeys.all, ["apiHistory"]].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

export function useDeleteSecret() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<StoredSecret, AppError, SecretTarget>({
    mutationFn: ({ install, scope, name }) => backend.secretsDelete(install, scope, name),
    onSettled: () => Promise.all([secretKeys.all, ["apiHistory"]].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}
