// The Install screen before Run and an install the app's backend completes,
// in the real window against the sandbox the app embeds.
//
// Run through ./run.sh: the "system browser" is a recorder ($BROWSER and the
// XDG http handler) that appends every URL it is asked to open to
// $APPDECK_E2E_OPENED and follows the sandbox's install links like a browser
// with auto-consent (authorize URL → 302 → the app's redirect URI).
//
// Invariants checked: a restricted key fails the checklist's key line, Run is
// refused and core's install_start refuses it too (restricted-key) while the
// browser is never asked to open anything; an install through the app's
// backend (a small HTTP server here, which exchanges the code itself at the
// sandbox's POST /v1/oauth/token with the developer's secret key) is
// confirmed from Stripe's event on the account it went into (named on the
// Install screen, read as the developer through Stripe-Account), the account
// the backend got tokens for, and Appdeck neither exchanges the code nor
// keeps an install of its own.
// Redirect URIs are listed in the project's stripe-app.json with their ports,
// so the tests hold when the sandbox matches redirect URIs exactly.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { test } from 'node:test';

import { byTestId, invokeFromPage, launchApp, until } from './support/app.mjs';
import { followedLog, installRows, sandboxRunning } from './support/install.mjs';
import { embeddedSandboxUrl } from './support/sandbox.mjs';

const TIMEOUT = { timeout: 180_000 };

/** The URLs the recorder "browser" was asked to open so far. */
async function openedUrls() {
  const text = await readFile(process.env.APPDECK_E2E_OPENED ?? '/nonexistent', 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}

async function withApp(options, body) {
  const app = await launchApp(options);
  try {
    await byTestId(app.browser, 'project-path', { timeout: 30_000 });
    await sandboxRunning(app.browser);
    await body(app);
  } finally {
    await app.close();
  }
}

async function getJson(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** The checklist's lines once core answered: `{ check, status, text }`. */
async function checklistLines(browser) {
  const list = await byTestId(browser, 'install-checklist', { timeout: 30_000 });
  await until(browser, async () => (await list.getAttribute('data-state')) === 'ready',
    'the checklist to be ready', { timeout: 30_000 });
  const out = [];
  for (const line of await browser.$$('[data-testid="check-line"]')) {
    out.push({
      check: await line.getAttribute('data-check'),
      status: await line.getAttribute('data-status'),
      text: await line.getText(),
    });
  }
  return out;
}

/**
 * Calls install_start from inside the webview as the UI's client does (its
 * options, snake_case, and a channel for the steps); the rejection's
 * `{code, message}`, or `null` if it started.
 */
async function installStartRejection(browser, args) {
  return browser.execute((a) => {
    const internals = window.__TAURI_INTERNALS__;
    const channel = internals.transformCallback(() => {});
    return internals.invoke('install_start', { options: a, on_step: `__CHANNEL__:${channel}` }).then(
      () => null,
      (e) => (typeof e === 'string' ? { code: 'internal', message: e } : { code: e.code, message: e.message }),
    );
  }, args);
}

test('a restricted key fails the checklist, and Run and install_start refuse it before the browser opens', TIMEOUT, async () => {
  await withApp({}, async ({ browser }) => {
    const base = await embeddedSandboxUrl(browser);
    const developer = (await getJson(`${base}/_appdeck/accounts`)).data[0];
    assert.match(developer.restricted_key, /^rk_test_/, 'the sandbox issues restricted keys');

    // Added as a user would: the Accounts screen's form, the sandbox as its API base.
    await (await byTestId(browser, 'nav-accounts')).click();
    await (await byTestId(browser, 'account-name')).setValue('restricted');
    await (await byTestId(browser, 'account-key')).setValue(developer.restricted_key);
    await (await byTestId(browser, 'account-api-base')).setValue(base);
    await (await byTestId(browser, 'account-skip-check')).click();
    await (await byTestId(browser, 'account-add')).click();
    const row = browser.$('[data-testid="accounts-row"][data-name="restricted"]');
    await row.waitForDisplayed({ timeout: 20_000 });
    assert.equal(await row.$('[data-testid="mode-badge"]').getAttribute('data-kind'), 'test',
      'an rk_test_ key not declared a sandbox is test mode');

    const openedBefore = await openedUrls();
    await (await byTestId(browser, 'nav-install')).click();
    await (await byTestId(browser, 'install-account')).selectByAttribute('value', 'restricted');
    let lines = [];
    await until(browser, async () => {
      lines = await checklistLines(browser);
      return lines.some((l) => l.check === 'key' && l.status === 'fail');
    }, "the checklist for the restricted account to fail its key line");
    const key = lines.find((l) => l.check === 'key');
    assert.match(key.text, /restricted key/i, `the key line says why: ${key.text}`);
    assert.match(key.text, /Fix: .*secret key/, `and what to do: ${key.text}`);
    assert.equal(await (await byTestId(browser, 'install-checklist')).getAttribute('data-ok'), 'false');

    await (await byTestId(browser, 'install-run')).click();
    const blocked = await byTestId(browser, 'install-blocked');
    assert.equal(await blocked.getAttribute('data-code'), 'preflight-failed');
    assert.ok((await blocked.getAttribute('data-checks')).split(' ').includes('key'),
      'Run names the failing key line');
    assert.equal(await (await byTestId(browser, 'install-status')).getAttribute('data-phase'), 'idle',
      'no flow started');

    // Core refuses the same flow on its own, before anything listens or opens.
    const refused = await installStartRejection(browser, {
      account: 'restricted', platform: false, via_backend: false, timeout_secs: 5,
    });
    assert.equal(refused?.code, 'restricted-key', `install_start refused: ${JSON.stringify(refused)}`);
    assert.match(refused.message, /sk_test_/, 'the refusal names the key Stripe wants');

    // The recorder would have logged any open; give a stray one time to land.
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(await openedUrls(), openedBefore, 'the browser was never asked to open anything');
  });
});

test("an install through the app's backend is confirmed from Stripe's events", TIMEOUT, async () => {
  // The app's backend: it receives ?code&state and exchanges the code itself.
  let sandbox = null;
  const received = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname !== '/stripe/callback' || !sandbox) {
      res.writeHead(404).end();
      return;
    }
    const code = url.searchParams.get('code');
    const got = { code, state: url.searchParams.get('state'), status: 0, body: null };
    received.push(got);
    try {
      const info = await getJson(`${sandbox}/_appdeck/info`);
      const r = await fetch(`${sandbox}/v1/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${info.developer.secret_key}:`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: code ?? '' }).toString(),
      });
      got.status = r.status;
      got.body = await r.json();
      res.writeHead(r.ok ? 200 : 502, { 'content-type': 'text/plain' }).end(r.ok ? 'installed' : 'exchange failed');
    } catch (e) {
      got.status = -1;
      got.body = String(e);
      res.writeHead(500).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const backendUri = `http://127.0.0.1:${server.address().port}/stripe/callback`;
  try {
    await withApp({
      editManifest: (m) => ({ ...m, allowed_redirect_uris: [...m.allowed_redirect_uris, backendUri] }),
    }, async ({ browser }) => {
      sandbox = await embeddedSandboxUrl(browser);
      const toggle = await byTestId(browser, 'auto-consent-toggle');
      if (!(await toggle.isSelected())) await toggle.click();
      await until(browser, async () => (await invokeFromPage(browser, 'sandbox_status')).value?.auto_consent === true,
        'the sandbox to take auto-consent');

      // The account auto-consent installs into (the first of /info's install accounts, in the
      // sandbox's own order): Stripe lists the install's event there.
      const target = (await getJson(`${sandbox}/_appdeck/info`)).accounts[0].account;

      await (await byTestId(browser, 'nav-install')).click();
      const before = new Set(await installRows(browser));
      await (await byTestId(browser, 'install-via-backend')).click();
      await (await byTestId(browser, 'install-into')).setValue(target);
      const picker = await byTestId(browser, 'install-redirect');
      await until(browser, () => picker.$(`option[value="${backendUri}"]`).isExisting(),
        "the backend's URI in the redirect picker");
      await picker.selectByAttribute('value', backendUri);
      let lines = [];
      await until(browser, async () => {
        lines = await checklistLines(browser);
        const redirect = lines.find((l) => l.check === 'redirect-uri');
        const into = lines.find((l) => l.check === 'target');
        return redirect?.status === 'pass' && redirect.text.includes(backendUri) && into?.status === 'pass' && into.text.includes(target);
      }, 'the checklist to pass the backend redirect URI and the install target');
      assert.deepEqual(lines.filter((l) => l.status === 'fail'), [], 'no failing line');

      await (await byTestId(browser, 'install-run')).click();
      const status = await byTestId(browser, 'install-status');
      let phase = '';
      try {
        await until(browser, async () => {
          phase = await status.getAttribute('data-phase');
          return phase === 'succeeded' || phase === 'failed';
        }, 'the backend install to end', { timeout: 60_000 });
      } catch (e) {
        const steps = [];
        for (const s of await browser.$$('[data-testid="timeline-step"]')) steps.push(await s.getText());
        throw new Error(`${e.message}\nthe browser followed: ${await followedLog()}\nthe backend got: ${JSON.stringify(received)}\ntarget: ${target}\ntimeline: ${JSON.stringify(steps)}`);
      }
      assert.equal(phase, 'succeeded',
        `the flow failed with ${await status.getAttribute('data-code')}; the browser followed: ${await followedLog()}; the backend got: ${JSON.stringify(received)}`);

      assert.equal(received.length, 1, 'the browser reached the backend once');
      const [landing] = received;
      assert.match(landing.code ?? '', /^ac_/, 'the backend got the code');
      assert.equal(landing.status, 200, `the backend exchanged the code itself: ${JSON.stringify(landing.body)}`);
      const installedOn = landing.body.stripe_user_id;
      assert.equal(installedOn, target, 'the app went into the account named on the Install screen');

      const outcome = await byTestId(browser, 'install-backend-outcome');
      assert.equal(await outcome.getAttribute('data-account'), installedOn,
        "Stripe's event names the account the backend holds tokens for");
      assert.match(await outcome.getAttribute('data-event'), /^evt_/);
      assert.match(await outcome.getText(), /account\.application\.authorized/);

      const kinds = [];
      for (const s of await browser.$$('[data-testid="timeline-step"]')) kinds.push(await s.getAttribute('data-kind'));
      assert.ok(kinds.includes('event'), `the timeline shows Stripe's event: ${kinds}`);
      assert.ok(!kinds.includes('token-request'), `Appdeck never exchanged the backend's code: ${kinds}`);
      assert.deepEqual((await installRows(browser)).filter((id) => !before.has(id)), [],
        'Appdeck records no install of its own: the backend holds the tokens');
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
