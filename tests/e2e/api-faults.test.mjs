// The API console under the sandbox's injected faults, in the real window: a
// call that hangs can be cancelled (api-cancelled, shown by its code), a 429
// is retried and the attempts are listed, and the console stays usable after
// both. Faults go through the embedded sandbox's loopback control API.
//
// Run through ./run.sh (private D-Bus, throwaway keychain, Xvfb).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { byTestId, launchApp, until } from './support/app.mjs';
import { control, embeddedSandboxUrl } from './support/sandbox.mjs';

const TIMEOUT = { timeout: 180_000 };

async function send(browser) {
  await (await byTestId(browser, 'api-send')).click();
}

async function statusText(browser) {
  const status = await browser.$('[data-testid="api-status"]');
  return (await status.isExisting()) ? status.getText() : '';
}

test('a hanging call is cancelled, a 429 is retried, and the console stays usable', TIMEOUT, async () => {
  const app = await launchApp();
  try {
    const { browser } = app;
    const base = await embeddedSandboxUrl(browser);

    await (await byTestId(browser, 'nav-api')).click();
    await (await byTestId(browser, 'api-method')).selectByVisibleText('GET');
    const path = await byTestId(browser, 'api-path');
    await path.clearValue();
    await path.setValue('/v1/customers');

    // A call that would wait 20 s for its answer: Cancel ends it at once.
    await control(base, 'faults', { route: 'GET /v1/customers', count: 1, type: 'delay', ms: 20_000 });
    const started = Date.now();
    await send(browser);
    await (await byTestId(browser, 'api-send-cancel', { timeout: 10_000 })).click();
    const error = await byTestId(browser, 'error', { timeout: 10_000 });
    assert.equal(await error.getAttribute('data-code'), 'api-cancelled');
    assert.ok(Date.now() - started < 15_000, 'cancelled before the 20 s answer');

    // A 429 then the answer: retried, and every attempt listed.
    await control(base, 'faults', { route: 'GET /v1/customers', count: 1, type: 'status', status: 429 });
    await send(browser);
    await until(browser, async () => (await statusText(browser)).startsWith('200'), 'a 200 after the 429');
    const summary = await (await byTestId(browser, 'api-attempts-summary')).getText();
    assert.match(summary, /429/, `the attempts name the 429: ${summary}`);
    assert.equal((await browser.$$('[data-testid="api-attempt"]')).length, 2, 'two attempts listed');

    // No fault left: a plain call answers at once with one attempt.
    await send(browser);
    await until(browser, async () => (await browser.$$('[data-testid="api-attempt"]')).length === 0
      && (await statusText(browser)).startsWith('200'), 'a plain 200 with nothing retried');
  } finally {
    await app.close();
  }
});
