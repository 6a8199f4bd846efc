// A provider login in the real window is a job the user can cancel: the
// Providers screen adds a provider (its authorize URL on a loopback port
// nothing answers on, so the login waits for the browser), Log in opens the
// system browser on the PKCE authorize URL, and Cancel ends the wait with
// `oauth-cancelled` long before the login's timeout.
//
// Run through ./run.sh (private D-Bus with a throwaway keyring, Xvfb, and a
// "system browser" that records the URLs it is given).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { byTestId, launchApp, until } from './support/app.mjs';

const TIMEOUT = { timeout: 120_000 };

test('a provider login that waits for the browser is cancelled from the Providers screen', TIMEOUT, async () => {
  const app = await launchApp();
  const { browser } = app;
  try {
    const status = await byTestId(browser, 'sandbox-status', { timeout: 30_000 });
    await until(browser, async () => (await status.getAttribute('data-state')) === 'running',
      'the app to finish starting', { timeout: 30_000 });
    await (await byTestId(browser, 'nav-providers')).click();
    await (await byTestId(browser, 'provider-name')).setValue('waits');
    await (await byTestId(browser, 'provider-authorize-url')).setValue('http://127.0.0.1:9/authorize');
    await (await byTestId(browser, 'provider-token-url')).setValue('http://127.0.0.1:9/token');
    await (await byTestId(browser, 'provider-client-id')).setValue('client_e2e');
    await (await byTestId(browser, 'provider-add')).click();
    await (await byTestId(browser, 'provider-login-waits')).click();

    const cancel = await byTestId(browser, 'provider-login-cancel');
    const phase = await byTestId(browser, 'provider-login-status');
    assert.equal(await phase.getAttribute('data-phase'), 'running', 'the login waits for the browser');
    if (process.env.APPDECK_E2E_OPENED) {
      await until(browser, async () => (await readFile(process.env.APPDECK_E2E_OPENED, 'utf8').catch(() => ''))
        .includes('http://127.0.0.1:9/authorize?'), 'the system browser to be sent to the authorize URL');
    }
    const started = Date.now();
    await cancel.click();
    await until(browser, async () => (await phase.getAttribute('data-phase')) === 'failed', 'the login to end');
    assert.match(await phase.getText(), /oauth-cancelled/, 'it ended because it was cancelled');
    assert.ok(Date.now() - started < 20_000, 'at once, not at its 300 s timeout');
    assert.equal(await browser.$('[data-testid="provider-login-cancel"]').isExisting(), false,
      'nothing is left to cancel');
  } finally {
    await app.close();
  }
});
