// Runs the install flow the way a user does, in the real window: the embedded
// sandbox up, auto-consent on, "Install" on the Install screen, and the new
// install listed. tests/e2e/run.sh makes the "system browser" a recorder that
// follows the sandbox's links (APPDECK_E2E_FOLLOWED is its log), so with
// auto-consent the flow completes on its own.
//
// Invariant: an install counts only once the flow says it succeeded and
// exactly one new row is listed; a failure names the flow's error code and
// what the browser followed.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import { byTestId, invokeFromPage, until } from './app.mjs';

/** Waits until the status bar says the embedded sandbox runs. */
export async function sandboxRunning(browser) {
  const status = await byTestId(browser, 'sandbox-status', { timeout: 30_000 });
  await until(browser, async () => (await status.getAttribute('data-state')) === 'running',
    'the embedded sandbox to run', { timeout: 30_000 });
}

/** What the recorder "browser" followed, for failure messages. */
export async function followedLog() {
  return readFile(process.env.APPDECK_E2E_FOLLOWED ?? '/nonexistent', 'utf8').catch(() => '(nothing followed)');
}

/** The install handles the Install screen lists. */
export async function installRows(browser) {
  const rows = await browser.$$('[data-testid="installs-row"]');
  const ids = [];
  for (const r of rows) ids.push(await r.getAttribute('data-install'));
  return ids;
}

/** Turns auto-consent on, runs the install flow from the Install screen, returns the new install's handle. */
export async function installThroughUi(browser) {
  await sandboxRunning(browser);
  const toggle = await byTestId(browser, 'auto-consent-toggle');
  if (!(await toggle.isSelected())) await toggle.click();
  await until(browser, async () => (await invokeFromPage(browser, 'sandbox_status')).value?.auto_consent === true,
    'the sandbox to take auto-consent');
  await (await byTestId(browser, 'nav-install')).click();
  const before = new Set(await installRows(browser));
  await (await byTestId(browser, 'install-run')).click();
  const status = await byTestId(browser, 'install-status');
  let phase = '';
  await until(browser, async () => {
    phase = await status.getAttribute('data-phase');
    return phase === 'succeeded' || phase === 'failed';
  }, 'the install flow to end', { timeout: 60_000 });
  assert.equal(phase, 'succeeded',
    `the flow failed with ${await status.getAttribute('data-code')}; the browser followed: ${await followedLog()}`);
  const steps = await browser.$$('[data-testid="timeline-step"]');
  assert.ok(steps.length >= 4, `the timeline shows the flow's steps (${steps.length})`);
  let added = [];
  await until(browser, async () => {
    added = (await installRows(browser)).filter((id) => !before.has(id));
    return added.length === 1;
  }, 'the new install to be listed');
  return added[0];
}
