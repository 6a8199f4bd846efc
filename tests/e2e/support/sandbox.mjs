// The embedded sandbox as the tests and benches reach it from outside the
// window: its base URL (once the app reports it running) and its control API
// (`/_appdeck/…`: seeding, settings, accounts).
//
// Invariant: only loopback URLs the app itself reported are called, so a test
// never talks to anything but the sandbox of the app it launched.

import { invokeFromPage, until } from './app.mjs';

/** Waits until the app's embedded sandbox runs; returns its base URL. */
export async function embeddedSandboxUrl(browser) {
  let status;
  await until(browser, async () => {
    status = (await invokeFromPage(browser, 'sandbox_status')).value;
    return status?.state === 'running';
  }, 'the sandbox to run', { timeout: 30_000 });
  return status.base_url;
}

/** `POST {base}/_appdeck/{path}` with a JSON body; the JSON answer. Throws unless 2xx. */
export async function control(base, path, body) {
  const r = await fetch(`${base}/_appdeck/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`POST /_appdeck/${path}: ${r.status} ${await r.text()}`);
  return r.json();
}
