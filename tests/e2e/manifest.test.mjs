// The desktop app, end to end: a real window on a copy of the sample manifest,
// driven like a user would, with every assertion made on the file on disk.
//
// Run through ./run.sh (Xvfb + private D-Bus + tauri-driver); each test launches
// its own app on its own temp copy, so tests do not depend on each other's files.

import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import {
  REPO,
  byTestId,
  launchApp,
  nextDiskText,
  problems,
  saveIfStaged,
  until,
} from './support/app.mjs';
import { expectedGrantTexts, insertLine } from './support/manifest-text.mjs';

const TIMEOUT = { timeout: 120_000 };
const SCREENSHOTS = join(REPO, 'tests/e2e/screenshots');

/** A permission the sample does not grant yet, and the purpose typed for it. */
const NEW_PERMISSION = 'charge_read';
const PURPOSE = 'Shows the charges behind each overdue invoice.';

async function withApp(body) {
  const app = await launchApp();
  try {
    await byTestId(app.browser, 'project-path', { timeout: 30_000 });
    await body(app);
  } finally {
    await app.close();
  }
}

/** Waits for the problems panel: its list, or its "no problems" note. */
async function problemsShown(browser) {
  const shown = (id) => browser.$(`[data-testid="${id}"]`).isDisplayed().catch(() => false);
  await until(browser, async () => (await shown('problems-list')) || (await shown('problems-empty')),
    'the problems list (or its empty state)');
}

async function grantThroughUi(browser, permission, purpose) {
  await (await byTestId(browser, 'nav-permissions')).click();
  await (await byTestId(browser, 'permission-search')).setValue(permission);
  await byTestId(browser, `catalog-row-${permission}`);
  await (await byTestId(browser, `grant-${permission}`)).click();
  await (await byTestId(browser, 'grant-purpose-input')).setValue(purpose);
  await (await byTestId(browser, 'grant-confirm')).click();
  await byTestId(browser, `granted-${permission}`);
}

test('the app opens the sample manifest and finds no error in it', TIMEOUT, async () => {
  const sample = await readFile(join(REPO, 'stripe-app.json'), 'utf8');
  assert.ok(!JSON.parse(sample).permissions.some((p) => p.permission === NEW_PERMISSION),
    `the sample must not grant ${NEW_PERMISSION} already (the grant tests rely on it)`);
  await withApp(async ({ browser, manifest }) => {
    // textContent, not getText: WebKitWebDriver reports "" for this ellipsized span.
    const shown = await (await byTestId(browser, 'project-path')).getProperty('textContent');
    assert.ok(shown.includes(manifest), `project-path shows the launched manifest: ${shown}`);
    await (await byTestId(browser, 'nav-manifest')).click();
    await problemsShown(browser);
    const errors = (await problems(browser)).filter((p) => p.severity !== 'warning' && p.severity !== 'info');
    assert.deepEqual(errors, [], 'the sample has no error diagnostics (a problem without data-severity counts as one)');

    await mkdir(SCREENSHOTS, { recursive: true });
    const shot = join(SCREENSHOTS, 'manifest.png');
    await browser.saveScreenshot(shot);
    if (process.env.APPDECK_UPDATE_SCREENSHOT === '1') {
      await mkdir(join(REPO, 'docs'), { recursive: true });
      await copyFile(shot, join(REPO, 'docs/screenshot.png'));
    }
  });
});

test('granting a permission in the UI inserts exactly that permission on disk', TIMEOUT, async () => {
  await withApp(async ({ browser, manifest }) => {
    const before = await readFile(manifest, 'utf8');
    await grantThroughUi(browser, NEW_PERMISSION, PURPOSE);
    await saveIfStaged(browser, manifest, before);
    const after = await nextDiskText(browser, manifest, before, 'the grant');
    const expected = expectedGrantTexts(before, NEW_PERMISSION, PURPOSE);
    if (!expected.includes(after)) {
      // Shows the diff against the most likely placement: appended at the end.
      assert.equal(after, expected.at(-1), 'only the new permission object may change; every other byte stays');
    }
  });
});

test('revoking the permission just granted restores the file byte for byte', TIMEOUT, async () => {
  await withApp(async ({ browser, manifest }) => {
    const original = await readFile(manifest, 'utf8');
    await grantThroughUi(browser, NEW_PERMISSION, PURPOSE);
    await saveIfStaged(browser, manifest, original);
    const granted = await nextDiskText(browser, manifest, original, 'the grant');

    await (await byTestId(browser, `revoke-${NEW_PERMISSION}`)).click();
    await saveIfStaged(browser, manifest, granted);
    const restored = await nextDiskText(browser, manifest, granted, 'the revocation');
    assert.equal(restored, original, 'grant then revoke is a byte-for-byte round trip');
    await until(browser, async () => !(await browser.$(`[data-testid="granted-${NEW_PERMISSION}"]`).isExisting()),
      `granted-${NEW_PERMISSION} to leave the list`);
  });
});

test('a comment written into the file on disk shows up as a problem at its line', TIMEOUT, async () => {
  await withApp(async ({ browser, manifest }) => {
    await (await byTestId(browser, 'nav-manifest')).click();
    await problemsShown(browser);
    const line = 4;
    const broken = insertLine(await readFile(manifest, 'utf8'), line, '  // added by another editor');
    await writeFile(manifest, broken);

    // The UI may reload by itself or first ask through its banner.
    const atLine = async () => (await problems(browser)).filter((p) => p.line === line);
    await until(browser, async () => {
      if ((await atLine()).length > 0) return true;
      const reload = browser.$('[data-testid="reload-from-disk"]');
      if (await reload.isDisplayed().catch(() => false)) await reload.click();
      return false;
    }, `a problem at line ${line}`, { timeout: 30_000 });
    const [problem] = await atLine();
    assert.match(problem.code, /^json-/, `a syntax diagnostic: ${JSON.stringify(problem)}`);
    assert.equal(problem.column, 3, 'the comment starts at column 3');
    assert.equal(await readFile(manifest, 'utf8'), broken, 'showing the problem does not rewrite the file');
  });
});

/**
 * Calls a command from inside the webview, as the UI's code would. The result
 * must not have an `error` key: webdriverio would take it for a WebDriver error.
 */
async function invokeFromPage(browser, command, args = {}) {
  return browser.execute((cmd, a) => window.__TAURI_INTERNALS__.invoke(cmd, a).then(
    (value) => ({ ok: true, value }),
    (e) => ({ ok: false, rejection: typeof e === 'string' ? e : JSON.stringify(e) }),
  ), command, args);
}

test('the webview reaches only the commands and URLs its capability allows', TIMEOUT, async () => {
  await withApp(async ({ browser, manifest }) => {
    const launched = await invokeFromPage(browser, 'launch_project');
    assert.equal(launched.ok, true, JSON.stringify(launched));
    assert.equal(launched.value.manifest_path, manifest);

    const missing = await invokeFromPage(browser, 'load_manifest', { path: `${manifest}.nope` });
    assert.equal(missing.ok, false);
    assert.deepEqual(Object.keys(JSON.parse(missing.rejection)), ['code', 'message'], 'errors arrive as {code, message}');
    assert.equal(JSON.parse(missing.rejection).code, 'manifest-unreadable');

    // run.sh makes xdg-open hand URLs to a recorder instead of a browser.
    const allowed = ['https://docs.stripe.com/stripe-apps', 'http://127.0.0.1:4242/callback'];
    for (const url of allowed) {
      const out = await invokeFromPage(browser, 'plugin:opener|open_url', { url });
      assert.equal(out.ok, true, `${url} may be opened: ${JSON.stringify(out)}`);
    }
    if (process.env.APPDECK_E2E_OPENED) {
      const opened = async () => (await readFile(process.env.APPDECK_E2E_OPENED, 'utf8').catch(() => '')).split('\n');
      await until(browser, async () => {
        const o = await opened();
        return allowed.every((u) => o.includes(u));
      }, 'the allowed URLs to reach the system browser');
    }
    for (const [command, args, why] of [
      ['no_such_command', {}, 'a command the shell does not register'],
      ['plugin:opener|open_url', { url: 'file:///etc/passwd' }, 'a URL outside https and loopback'],
      ['plugin:opener|open_path', { path: '/etc/passwd' }, 'opening paths'],
      ['plugin:dialog|save', {}, 'the save dialog'],
      ['plugin:opener|open_url', { url: 'http://example.com/' }, 'plain http beyond loopback'],
    ]) {
      const out = await invokeFromPage(browser, command, args);
      assert.equal(out.ok, false, `${why} must be refused: ${JSON.stringify(out)}`);
      assert.match(out.rejection, /not allowed/i, `${why} is refused by the ACL, not by chance`);
    }
  });
});
