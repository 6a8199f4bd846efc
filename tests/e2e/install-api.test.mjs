// The install flow and the API console, end to end in the real window, against
// the sandbox the app embeds, with tokens in the real (throwaway) keychain.
//
// Run through ./run.sh: it starts a private D-Bus with an unlocked
// gnome-keyring, sets APPDECK_KEYCHAIN_SERVICE to a service of this run, and
// makes the "system browser" a recorder that follows the sandbox's install
// links (authorize URL → 302 → the app's loopback callback), so with
// auto-consent on, an install started from the UI completes on its own.
// Each test launches its own app on a copy of the sample manifest, whose
// stripe-app.json lists the fixed-port loopback redirect URI
// http://127.0.0.1:8765/callback: the embedded sandbox matches redirect URIs
// exactly, as Stripe does, so the install listens on that port.

import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { byTestId, invokeFromPage, launchApp, until } from './support/app.mjs';
import { SERVICE, tokensOf } from './support/keychain.mjs';
import { installThroughUi } from './support/install.mjs';
import { control } from './support/sandbox.mjs';

const TIMEOUT = { timeout: 180_000 };
async function withApp(body) {
  const app = await launchApp();
  try {
    await byTestId(app.browser, 'project-path', { timeout: 30_000 });
    await body(app);
  } finally {
    await app.close();
  }
}

async function pageSource(browser) {
  return browser.execute(() => document.documentElement.outerHTML);
}

/** Every file under `dir` (the sandbox's own database excepted), as text. */
async function filesUnder(dir, skip) {
  const out = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if (path === skip) continue;
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path, skip)));
    else out.push({ path, text: (await readFile(path)).toString('latin1') });
  }
  return out;
}

test('an install against the local sandbox shows masked tokens kept in the keychain; refresh and forget', TIMEOUT, async () => {
  await withApp(async ({ browser, configDir }) => {
    await (await byTestId(browser, 'nav-accounts')).click();
    const local = browser.$('[data-testid="accounts-row"][data-name="local"]');
    await local.waitForDisplayed({ timeout: 30_000 });
    assert.equal(await local.$('[data-testid="mode-badge"]').getAttribute('data-mode'), 'local',
      'with nothing added, the embedded sandbox account is listed, in local mode');

    const install = await installThroughUi(browser);
    const first = await tokensOf(install);
    assert.ok(first.access && first.refresh, `both tokens are in the OS keychain under ${SERVICE}`);
    const row = browser.$(`[data-testid="installs-row"][data-install="${install}"]`);
    const hint = await row.$('[data-testid="access-hint"]').getText();
    assert.ok(hint.includes('…') && hint.endsWith(first.access.slice(-4)), `the access token is shown masked: ${hint}`);
    let html = await pageSource(browser);
    for (const t of [first.access, first.refresh]) assert.ok(!html.includes(t), 'no token appears in the window');

    // Refresh: both tokens rotate in the keychain, the masked hint follows.
    await (await byTestId(browser, `install-refresh-${install}`)).click();
    let second = first;
    await until(browser, async () => {
      second = await tokensOf(install);
      // Core stores the new refresh token first, then the access token.
      return second.refresh && second.refresh !== first.refresh && second.access && second.access !== first.access;
    }, 'both tokens to rotate in the keychain');
    await until(browser, async () => (await row.$('[data-testid="access-hint"]').getText()).endsWith(second.access.slice(-4)),
      'the masked hint to show the new access token');
    html = await pageSource(browser);
    const all = [first.access, first.refresh, second.access, second.refresh];
    for (const t of all) assert.ok(!html.includes(t), 'no token appears in the window after the refresh');

    // No token in any file the app wrote (but the embedded sandbox's database: it issued them) or in a log.
    const files = await filesUnder(configDir, join(configDir, 'sandbox'));
    assert.ok(files.some((f) => f.path.endsWith('installs.json')), 'the install is recorded in the config dir');
    const logs = [process.env.APPDECK_E2E_DRIVER_LOG, process.env.APPDECK_E2E_OPENED, process.env.APPDECK_E2E_FOLLOWED]
      .filter(Boolean);
    for (const path of logs) files.push({ path, text: await readFile(path, 'utf8').catch(() => '') });
    for (const { path, text } of files) {
      for (const t of all) assert.ok(!text.includes(t), `${path} holds no token`);
    }

    // Forget: the row goes, and so do both keychain entries.
    await (await byTestId(browser, `install-forget-${install}`)).click();
    await until(browser, async () => !(await row.isExisting()), 'the install to leave the list');
    assert.deepEqual(await tokensOf(install), { access: null, refresh: null }, 'forgetting deletes both keychain entries');
  });
});

test('the API console calls GET /v1/customers as the install, pages, copies curl and records history', TIMEOUT, async () => {
  await withApp(async ({ browser }) => {
    const install = await installThroughUi(browser);
    const { access } = await tokensOf(install);
    const installs = (await invokeFromPage(browser, 'installs_list')).value;
    const account = installs.find((i) => i.install === install).stripe_user_id;
    const base = (await invokeFromPage(browser, 'sandbox_status')).value.base_url;
    await control(base, 'seed/customers', { count: 25, account });

    await (await byTestId(browser, 'nav-api')).click();
    const as = await byTestId(browser, 'api-as');
    await until(browser, () => as.$(`option[value="install:${install}"]`).isExisting(), 'the install in the "As" picker');
    await as.selectByAttribute('value', `install:${install}`);
    await (await byTestId(browser, 'api-method')).selectByVisibleText('GET');
    const path = await byTestId(browser, 'api-path');
    await path.clearValue();
    await path.setValue('/v1/customers');
    assert.equal(await (await byTestId(browser, 'api-mode-badge')).getAttribute('data-mode'), 'local');
    await (await byTestId(browser, 'api-send')).click();
    const status = await byTestId(browser, 'api-status', { timeout: 30_000 });
    await until(browser, async () => (await status.getText()).startsWith('200'), 'a 200 for GET /v1/customers');

    const next = await byTestId(browser, 'api-next-page');
    await until(browser, () => next.isEnabled(), 'a next page (25 customers, 10 a page)');
    await next.click();
    let history = [];
    await until(browser, async () => {
      history = (await invokeFromPage(browser, 'api_history')).value ?? [];
      return history.length >= 2;
    }, 'the second page in the history');
    await until(browser, async () => (await status.getText()).startsWith('200'), 'a 200 for the second page');
    const [second, firstCall] = history;
    assert.deepEqual(firstCall.request.auth, { kind: 'install', install }, 'the call was made as the install');
    assert.ok(second.request.params.some(([k]) => k === 'starting_after'), 'the next page continues after the last customer');
    await until(browser, async () => (await browser.$$('[data-testid="history-item"]')).length >= 2,
      'both calls in the history panel');
    const item = await (await browser.$$('[data-testid="history-item"]'))[0].getText();
    assert.ok(item.includes('/v1/customers'), `the history entry names the path: ${item}`);

    await (await byTestId(browser, 'api-copy-curl')).click();
    const curl = await (await byTestId(browser, 'api-curl-text')).getText();
    assert.match(curl, /^curl /);
    assert.ok(curl.includes(`${base}/v1/customers`), `the curl line calls the sandbox: ${curl}`);
    assert.ok(curl.includes('$STRIPE_API_KEY'), `the credential comes from an environment variable: ${curl}`);
    assert.ok(!curl.includes(access) && !(await pageSource(browser)).includes(access), 'the token itself is nowhere');
  });
});
