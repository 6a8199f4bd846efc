// Reads what the app stored in the run's throwaway keychain, with secret-tool,
// the way a user (or an attacker with the session) could: the tests check
// that secrets land there, rotate there and are deleted from there.
//
// Invariant: only the service tests/e2e/run.sh set for this run
// (APPDECK_KEYCHAIN_SERVICE) is read, never the user's own entries.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The keychain service of this run (set by tests/e2e/run.sh). */
export const SERVICE = process.env.APPDECK_KEYCHAIN_SERVICE;

/** The secret stored under `user` (`<kind>:<mode>:<owner>`); null when absent. */
export async function keychainSecret(user) {
  assert.ok(SERVICE, 'APPDECK_KEYCHAIN_SERVICE is set (run through tests/e2e/run.sh)');
  try {
    const { stdout } = await run('secret-tool', ['lookup', 'service', SERVICE, 'username', user]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/** A local install's tokens as the keychain holds them: `{ access, refresh }`, each null when absent. */
export async function tokensOf(install) {
  return {
    access: await keychainSecret(`access-token:local:${install}`),
    refresh: await keychainSecret(`refresh-token:local:${install}`),
  };
}
