// The QA screen end to end in the real window, against the sandbox the app
// embeds: the example flow (flows/install-smoke.yaml, copied into the
// project's flows/) runs from the picker with live progress and writes
// reports that say it passed; then an install and an API call recorded on the
// Install and API screens are saved as a flow, which is in the picker, runs
// and passes.
//
// Run through ./run.sh (private D-Bus with a throwaway keyring, Xvfb, and a
// "system browser" that follows the sandbox's install links). Each test
// launches its own app on a copy of the sample manifest, whose stripe-app.json
// lists the fixed-port loopback redirect URI http://127.0.0.1:8765/callback
// (the embedded sandbox matches redirect URIs exactly, as Stripe does).

import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

import { REPO, byTestId, invokeFromPage, launchApp, until } from './support/app.mjs';
import { control, embeddedSandboxUrl } from './support/sandbox.mjs';

const TIMEOUT = { timeout: 120_000 };
async function withApp(body) {
  const app = await launchApp();
  try {
    await mkdir(join(app.dir, 'flows'));
    await copyFile(join(REPO, 'flows/install-smoke.yaml'), join(app.dir, 'flows/install-smoke.yaml'));
    await byTestId(app.browser, 'project-path', { timeout: 30_000 });
    const status = await byTestId(app.browser, 'sandbox-status', { timeout: 30_000 });
    await until(app.browser, async () => (await status.getAttribute('data-state')) === 'running',
      'the embedded sandbox to run', { timeout: 30_000 });
    await body(app);
  } finally {
    await app.close();
  }
}

async function attrs(browser, selector, name) {
  const out = [];
  for (const el of await browser.$$(selector)) out.push(await el.getAttribute(name));
  return out;
}

/** Clicks Run on the QA screen and waits for the results; returns the progress seen on the way. */
async function runFromQaScreen(browser) {
  await (await byTestId(browser, 'qa-run')).click();
  let sawCurrent = false;
  let maxSteps = 0;
  await until(browser, async () => {
    const current = browser.$('[data-testid="qa-current"]');
    if (await current.isExisting()) sawCurrent = sawCurrent || /loop \d+\/\d+ · step \d+\/\d+/.test(await current.getText());
    maxSteps = Math.max(maxSteps, (await browser.$$('[data-testid="qa-step"]')).length);
    return browser.$('[data-testid="qa-results"]').isExisting();
  }, 'the run to finish', { timeout: 60_000, interval: 100 });
  return { sawCurrent, maxSteps };
}

async function reportFiles(browser) {
  const markdown = await (await byTestId(browser, 'qa-report-path')).getText();
  const junit = await (await byTestId(browser, 'qa-junit-path')).getText();
  return { markdown, junit, md: await readFile(markdown, 'utf8'), xml: await readFile(junit, 'utf8') };
}

test('the example flow runs from the QA screen with live progress and reports that it passed', TIMEOUT, async () => {
  await withApp(async ({ browser, dir }) => {
    await (await byTestId(browser, 'nav-qa')).click();
    const picker = await byTestId(browser, 'qa-flow-picker');
    await until(browser, async () => (await picker.getValue()) === join(dir, 'flows/install-smoke.yaml'),
      "the project's flows/ in the picker");
    await (await byTestId(browser, 'qa-accounts')).setValue('install-1, install-2');
    // Each account's API call answers after 1.5 s, so the run lasts long
    // enough for the sampling below to see its live progress on any machine
    // (a run of ten local steps can otherwise end between two samples).
    const base = await embeddedSandboxUrl(browser);
    await control(base, 'faults', { route: 'GET /v1/customers', count: 2, type: 'delay', ms: 1_500 });

    const { sawCurrent, maxSteps } = await runFromQaScreen(browser);
    assert.ok(sawCurrent, 'the current account, loop and step were shown while the run went');
    const results = await byTestId(browser, 'qa-results');
    const steps = await attrs(browser, '[data-testid="qa-step"]', 'data-outcome');
    assert.equal(await results.getAttribute('data-passed'), 'true',
      `the run passed: ${await results.getText()}`);
    assert.equal(steps.length, 10, '5 steps × 2 accounts, each listed as it finished');
    assert.ok(maxSteps >= 1, 'steps appeared before the results');
    assert.ok(steps.every((o) => o === 'passed'), `every step passed: ${steps}`);
    assert.deepEqual(await attrs(browser, '[data-testid="qa-iteration"]', 'data-account'), ['install-1', 'install-2']);

    const { markdown, junit, md, xml } = await reportFiles(browser);
    assert.ok(markdown.startsWith(join(dir, 'qa-reports/install-smoke')), `reports beside the manifest: ${markdown}`);
    assert.ok((await stat(join(dirname(markdown), 'timings.svg'))).isFile(), 'the chart beside the report');
    assert.ok(md.includes('**PASSED**') && md.includes('### install-2'), md.slice(0, 400));
    assert.match(xml, /<testsuites [^>]*tests="10"[^>]*failures="0"/);
    assert.ok(junit.endsWith('junit.xml'));
  });
});

test('an install and an API call recorded on their screens are saved as a flow that runs and passes', TIMEOUT, async () => {
  await withApp(async ({ browser, dir }) => {
    // The recorder browser follows install links; with auto-consent it lands on the loopback at once.
    const toggle = await byTestId(browser, 'auto-consent-toggle');
    if (!(await toggle.isSelected())) await toggle.click();
    await until(browser, async () => (await invokeFromPage(browser, 'sandbox_status')).value?.auto_consent === true,
      'the sandbox to take auto-consent');

    await (await byTestId(browser, 'nav-install')).click();
    await (await byTestId(browser, 'record-toggle')).click();
    const indicator = await byTestId(browser, 'record-indicator');
    await until(browser, async () => (await indicator.getAttribute('data-recording')) === 'on', 'recording to be on');
    await (await byTestId(browser, 'install-run')).click();
    const status = await byTestId(browser, 'install-status');
    await until(browser, async () => ['succeeded', 'failed'].includes(await status.getAttribute('data-phase')),
      'the install flow to end', { timeout: 30_000 });
    assert.equal(await status.getAttribute('data-phase'), 'succeeded');
    const installs = (await invokeFromPage(browser, 'installs_list')).value;
    const { install, stripe_user_id: account } = installs[installs.length - 1];

    await (await byTestId(browser, 'nav-api')).click();
    await until(browser, async () => (await (await byTestId(browser, 'record-indicator')).getAttribute('data-recording')) === 'on',
      'the API screen to show recording');
    const as = await byTestId(browser, 'api-as');
    await until(browser, () => as.$(`option[value="install:${install}"]`).isExisting(), 'the install in the "As" picker');
    await as.selectByAttribute('value', `install:${install}`);
    await (await byTestId(browser, 'api-method')).selectByVisibleText('GET');
    const path = await byTestId(browser, 'api-path');
    await path.clearValue();
    await path.setValue('/v1/customers');
    await (await byTestId(browser, 'api-send')).click();
    const apiStatus = await byTestId(browser, 'api-status', { timeout: 30_000 });
    await until(browser, async () => (await apiStatus.getText()).startsWith('200'), 'a 200 for GET /v1/customers');

    await (await byTestId(browser, 'nav-qa')).click();
    await until(browser, async () => (await (await byTestId(browser, 'qa-record-count')).getText()).startsWith('2 steps'),
      'the install and the call in the journal');
    const name = await byTestId(browser, 'qa-record-name');
    await name.clearValue();
    await name.setValue('recorded e2e');
    await (await byTestId(browser, 'qa-record-save')).click();
    await byTestId(browser, 'qa-record-saved');
    const saved = join(dir, 'flows/recorded-e2e.yaml');
    await until(browser, async () => (await (await byTestId(browser, 'qa-flow-picker')).getValue()) === saved,
      'the new flow picked');
    const text = await readFile(saved, 'utf8');
    assert.ok(text.includes('- install') && text.includes('path: "/v1/customers"') && text.includes('expect: {status: 200}'), text);
    assert.ok(!text.includes(install) && !text.includes(account), `no per-run handle or account id in the flow:\n${text}`);

    await runFromQaScreen(browser);
    const results = await byTestId(browser, 'qa-results');
    assert.equal(await results.getAttribute('data-passed'), 'true', `the recorded flow passed: ${await results.getText()}`);
    assert.deepEqual(await attrs(browser, '[data-testid="qa-step"]', 'data-outcome'), ['passed', 'passed']);
    const { md } = await reportFiles(browser);
    assert.ok(md.includes('**PASSED**'), md.slice(0, 400));
  });
});
