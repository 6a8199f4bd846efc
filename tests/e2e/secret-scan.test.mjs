// Secrets never leak, over a whole desktop session in the real window: add an
// account (its key typed into the form), install the sample through the
// embedded sandbox, refresh the install's tokens, call the API as the install
// and as the account, set a Secret Store secret. Then every secret value used
// (the account's key, the embedded sandbox's developer key that the install
// exchange used, every access and refresh token the install had, read
// from the keychain as they rotate, the Secret Store payload, the app's
// signing secret, the key that seals the sandbox's data) is searched for
// in: every file under the app's config dir (accounts, installs, the API
// history, the embedded sandbox's data), under the run's XDG config, data and
// cache homes (WebKitGTK's storage and caches for dev.appdeck.desktop live
// there), the logs (tauri-driver's, with the app's stderr; the URL recorder's),
// the window's DOM, every process's /proc/*/cmdline, and the environment of
// the app and its WebKit processes: zero hits. Files are scanned again after
// the app quits (WebKit writes some storage on exit).
//
// The scan can fail: a self-check plants a marker in a file under the cache
// home, a command line and an environment, and the same scan must find each.
// Run through ./run.sh (private D-Bus + throwaway keychain, Xvfb, tauri-driver).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { byTestId, invokeFromPage, launchApp, until } from './support/app.mjs';
import { installThroughUi } from './support/install.mjs';
import { keychainSecret, SERVICE, tokensOf } from './support/keychain.mjs';
import { control } from './support/sandbox.mjs';

const IDENTIFIER = 'dev.appdeck.desktop';

/** Every regular file under `dir` (missing dirs are empty). */
async function filesUnder(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(path)));
    else if (e.isFile()) out.push(path);
  }
  return out;
}

/** `[pid, ppid, cmdline]` of every process we can read. */
async function processes() {
  const out = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = await readFile(`/proc/${name}/cmdline`);
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(name), ppid, cmdline });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** The app (launched with `configDir` on its command line) and its descendants (WebKit's processes). */
function appTree(procs, configDir) {
  const root = procs.filter((p) => p.cmdline.toString('latin1').includes(configDir)).map((p) => p.pid);
  const tree = new Set(root);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (tree.has(p.ppid) && !tree.has(p.pid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

/**
 * Every place holding a needle: `needles` is `[[label, value]]`; `roots` dirs
 * are read recursively; `texts` are `[[label, string]]`; `environOf` pids.
 */
async function scan({ roots, texts = [], environOf = [], cmdlines = true }, needles) {
  const places = [];
  for (const root of roots) {
    for (const path of await filesUnder(root)) {
      try {
        places.push([`file ${path}`, await readFile(path)]);
      } catch {
        // removed while we looked (a cache entry)
      }
    }
  }
  for (const [label, text] of texts) places.push([label, Buffer.from(text)]);
  if (cmdlines) for (const p of await processes()) places.push([`/proc/${p.pid}/cmdline`, p.cmdline]);
  for (const pid of environOf) {
    places.push([`/proc/${pid}/environ`, await readFile(`/proc/${pid}/environ`).catch(() => Buffer.alloc(0))]);
  }
  console.log(`secret-scan: ${needles.length} value(s) looked for in ${places.length} places (${places.filter(([p]) => p.startsWith('file ')).length} files)`);
  const hits = [];
  for (const [label, value] of needles) {
    assert.ok(value && value.length >= 12, `${label} is a real secret to look for`);
    for (const [place, bytes] of places) if (bytes.includes(value)) hits.push(`${label} in ${place}`);
  }
  return hits;
}

async function sendApi(browser, as, method, path) {
  await (await byTestId(browser, 'nav-api')).click();
  const picker = await byTestId(browser, 'api-as');
  await until(browser, () => picker.$(`option[value="${as}"]`).isExisting(), `${as} in the "As" picker`);
  await picker.selectByAttribute('value', as);
  await (await byTestId(browser, 'api-method')).selectByVisibleText(method);
  const input = await byTestId(browser, 'api-path');
  await input.clearValue();
  await input.setValue(path);
  const before = ((await invokeFromPage(browser, 'api_history')).value ?? []).length;
  await (await byTestId(browser, 'api-send')).click();
  await until(browser, async () => ((await invokeFromPage(browser, 'api_history')).value ?? []).length > before, `${method} ${path} as ${as} in the history`, { timeout: 30_000 });
  const status = await byTestId(browser, 'api-status', { timeout: 30_000 });
  await until(browser, async () => (await status.getText()).startsWith('200'), `a 200 for ${method} ${path} as ${as}`);
}

test('a whole desktop session leaves no secret in files, storage, logs, the DOM, command lines or environments', { timeout: 240_000 }, async () => {
  assert.ok(SERVICE, 'APPDECK_KEYCHAIN_SERVICE is set (run through tests/e2e/run.sh)');
  const homes = ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME'].map((v) => process.env[v]).filter(Boolean);
  assert.equal(homes.length, 3, 'the run gives the app throwaway XDG homes');
  const logs = [process.env.APPDECK_E2E_DRIVER_LOG, process.env.APPDECK_E2E_OPENED, process.env.APPDECK_E2E_FOLLOWED].filter(Boolean);
  const readLogs = async () => Promise.all(logs.map(async (p) => [`log ${p}`, await readFile(p, 'utf8').catch(() => '')]));

  const app = await launchApp({
    editManifest: (m) => ({
      ...m,
      permissions: [...m.permissions, { permission: 'secret_write', purpose: 'Keeps the app token for its backend' }],
    }),
  });
  const { browser, configDir } = app;
  const needles = [];
  let closed = false;
  try {
    await byTestId(browser, 'project-path', { timeout: 30_000 });
    const install = await installThroughUi(browser);
    const base = (await invokeFromPage(browser, 'sandbox_status')).value.base_url;

    const info = await (await fetch(`${base}/_appdeck/info`)).json();
    needles.push(['the embedded sandbox developer key', info.developer.secret_key]);
    needles.push(['the sample app\'s signing secret', info.app.signing_secret]);
    // The key that seals the sandbox's data at rest, as the keychain keeps it.
    const dirId = createHash('sha256').update(join(configDir, 'sandbox')).digest('hex').slice(0, 16);
    const dataKey = await keychainSecret(`sandbox-data-key:local:${dirId}`);
    assert.match(dataKey ?? '', /^[0-9a-f]{64}$/, 'the sandbox data key is in the keychain');
    needles.push(['the sandbox data key', dataKey]);

    // An account added through the form, with a key the sandbox issued.
    const key = (await control(base, 'accounts', { display_name: 'Scan' })).secret_key;
    needles.push(['the added account key', key]);
    await (await byTestId(browser, 'nav-accounts')).click();
    await (await byTestId(browser, 'account-name')).setValue('scan');
    await (await byTestId(browser, 'account-key')).setValue(key);
    await (await byTestId(browser, 'account-api-base')).setValue(base);
    await (await byTestId(browser, 'account-add')).click();
    await browser.$('[data-testid="accounts-row"][data-name="scan"]').waitForDisplayed({ timeout: 30_000 });

    const first = await tokensOf(install);
    assert.ok(first.access && first.refresh, 'the install tokens are in the keychain');
    await (await byTestId(browser, 'nav-install')).click();
    await (await byTestId(browser, `install-refresh-${install}`)).click();
    let second = first;
    await until(browser, async () => {
      second = await tokensOf(install);
      return second.refresh !== first.refresh && second.access !== first.access;
    }, 'the tokens to rotate');

    await sendApi(browser, `install:${install}`, 'GET', '/v1/customers');
    await sendApi(browser, 'account:scan', 'GET', '/v1/account');

    const payload = `ss_payload_${randomBytes(12).toString('hex')}`;
    needles.push(['the Secret Store payload', payload]);
    await (await byTestId(browser, 'nav-secrets')).click();
    const pick = await byTestId(browser, 'secrets-install');
    await until(browser, () => pick.$(`option[value="${install}"]`).isExisting(), 'the install in the Secret Store picker');
    await pick.selectByAttribute('value', install);
    await (await byTestId(browser, 'secret-name')).setValue('scan_secret');
    await (await byTestId(browser, 'secret-payload-input')).setValue(payload);
    await (await byTestId(browser, 'secret-set')).click();
    await browser.$('[data-testid="secret-row"][data-name="scan_secret"]').waitForDisplayed({ timeout: 30_000 });

    const last = await tokensOf(install);
    for (const [when, t] of [['after install', first], ['after refresh', second], ['at the end', last]]) {
      needles.push([`the access token ${when}`, t.access], [`the refresh token ${when}`, t.refresh]);
    }
    const history = JSON.stringify((await invokeFromPage(browser, 'api_history')).value);
    assert.ok(history.includes('/v1/customers') && history.includes('/v1/apps/secrets'), 'the session is in the history');

    const tree = appTree(await processes(), configDir);
    assert.ok(tree.length >= 2, `the app and its WebKit processes are found (${tree})`);
    const dom = await browser.execute(() => document.documentElement.outerHTML);
    const hits = await scan({
      roots: [configDir, ...homes],
      texts: [['the DOM', dom], ['api_history', history], ...(await readLogs())],
      environOf: tree,
    }, needles);
    assert.deepEqual(hits, [], 'no secret anywhere while the app runs');
    assert.ok((await filesUnder(join(homes[1], IDENTIFIER))).length + (await filesUnder(join(homes[2], IDENTIFIER))).length > 0,
      'WebKit wrote its storage under the scanned homes');

    // The self-check: the same scan finds a planted value in each kind of place.
    const marker = `planted_${randomBytes(10).toString('hex')}`;
    await mkdir(join(homes[2], IDENTIFIER), { recursive: true });
    await writeFile(join(homes[2], IDENTIFIER, 'planted'), `x${marker}y`);
    // `sleep 30` under the marker as its argv[0] (a shell may exec its last
    // command and lose its own argv), with the marker in its environment; the
    // scan starts once the kernel shows the marker, so this checks the scan.
    const sleeper = spawn('sleep', ['30'], { argv0: marker, env: { ...process.env, APPDECK_PLANTED: marker }, stdio: 'ignore' });
    try {
      for (let i = 0; i < 100; i++) {
        const shown = await readFile(`/proc/${sleeper.pid}/cmdline`, 'utf8').catch(() => '');
        if (shown.includes(marker)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const found = await scan({ roots: homes, environOf: [sleeper.pid] }, [['the marker', marker]]);
      assert.ok(found.some((h) => h.endsWith(`${IDENTIFIER}/planted`)), `found in a file: ${found}`);
      assert.ok(found.some((h) => h.endsWith(`/proc/${sleeper.pid}/cmdline`)), `found on a command line: ${found}`);
      assert.ok(found.some((h) => h.endsWith(`/proc/${sleeper.pid}/environ`)), `found in an environment: ${found}`);
    } finally {
      sleeper.kill();
    }

    // After quitting: what WebKit flushed on exit, and the logs.
    const configCopy = await filesUnder(configDir);
    const kept = await Promise.all(configCopy.map(async (p) => [`file ${p} (before exit)`, (await readFile(p)).toString('latin1')]));
    await app.close();
    closed = true;
    const after = await scan({ roots: homes, texts: [...kept, ...(await readLogs())], cmdlines: false }, needles);
    assert.deepEqual(after, [], 'no secret anywhere after the app quit');
  } finally {
    if (!closed) await app.close();
  }
});
