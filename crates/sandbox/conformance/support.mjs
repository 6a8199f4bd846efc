// What every conformance file needs: the sandbox's info (the JSON line
// `serve --json` printed, set by ./run.sh as SANDBOX_INFO) and Stripe's
// official Node library pointed at it.
import assert from 'node:assert/strict';
import Stripe from 'stripe';

export const info = JSON.parse(process.env.SANDBOX_INFO ?? 'null');
assert.ok(info, 'SANDBOX_INFO is set (run ./run.sh)');
const base = new URL(info.base_url);

/** A stripe-node client with `key`, talking to the sandbox. */
export const connect = (key) =>
  new Stripe(key, {
    host: base.hostname,
    port: Number(base.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });

/** A call to the sandbox's control API (`/_appdeck/…`), JSON in and out. */
export const control = (path, body) =>
  fetch(`${info.base_url}/_appdeck${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  }).then((r) => r.json());
