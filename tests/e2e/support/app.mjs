// Launches the built desktop app on a throwaway copy of the sample manifest and
// drives it through tauri-driver (WebDriver on 127.0.0.1:4444).
//
// Invariants: every launch gets its own temp project folder and config dir, so a
// test never touches the repo's stripe-app.json or the user's configuration; the
// session is always deleted (which closes the app) even when a test fails. Run
// this under tests/e2e/run.sh, which starts Xvfb, a private D-Bus and tauri-driver.

import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SAMPLE = join(REPO, 'stripe-app.json');

/** The app binary: $APPDECK_DESKTOP_BIN, else the debug build in the workspace target dir. */
export function appBinary() {
  return process.env.APPDECK_DESKTOP_BIN || join(REPO, 'target/debug/appdeck-desktop');
}

/**
 * Copies the sample app (manifest and icon) to a temp folder and opens the app on it.
 * `editManifest(json)`, if given, changes the copy's manifest first (it returns the new object).
 * Returns `{ browser, dir, manifest, configDir, close }`.
 */
export async function launchApp({ editManifest } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'appdeck-e2e-'));
  const manifest = join(dir, 'stripe-app.json');
  const configDir = join(dir, 'config');
  if (editManifest) {
    const edited = editManifest(JSON.parse(await readFile(SAMPLE, 'utf8')));
    await writeFile(manifest, `${JSON.stringify(edited, null, 2)}\n`);
  } else {
    await copyFile(SAMPLE, manifest);
  }
  const icon = JSON.parse(await readFile(SAMPLE, 'utf8')).icon;
  if (typeof icon === 'string') await copyFile(join(REPO, icon), join(dir, icon));
  const browser = await remote({
    hostname: '127.0.0.1',
    port: 4444,
    logLevel: 'warn',
    connectionRetryTimeout: 60_000,
    capabilities: {
      'tauri:options': {
        application: appBinary(),
        args: [manifest, '--config-dir', configDir],
      },
    },
  });
  const close = async () => {
    try {
      await browser.deleteSession();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  return { browser, dir, manifest, configDir, close };
}

/** The element with `data-testid`, once displayed; on timeout, says what the window showed. */
export async function byTestId(browser, id, { timeout = 20_000 } = {}) {
  const el = browser.$(`[data-testid="${id}"]`);
  try {
    await el.waitForDisplayed({ timeout });
  } catch {
    throw new Error(`data-testid="${id}" was not displayed within ${timeout} ms. ${await visibleText(browser)}`);
  }
  return el;
}

/** Waits until `predicate()` is truthy, with a message that shows the window's text. */
export async function until(browser, predicate, what, { timeout = 20_000, interval = 200 } = {}) {
  try {
    await browser.waitUntil(predicate, { timeout, interval });
  } catch {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}. ${await visibleText(browser)}`);
  }
}

/** The problems listed by the UI: `{ code, line, column, severity, text }`. */
export async function problems(browser) {
  const items = await browser.$$('[data-testid="problem"]');
  const out = [];
  for (const p of items) {
    out.push({
      code: await p.getAttribute('data-code'),
      line: Number(await p.getAttribute('data-line')),
      column: Number(await p.getAttribute('data-column')),
      severity: await p.getAttribute('data-severity'),
      text: await p.getText(),
    });
  }
  return out;
}

/** Waits until the file's bytes differ from `previous`, then returns them. */
export async function nextDiskText(browser, path, previous, what) {
  let text = previous;
  await until(
    browser,
    async () => {
      text = await readFile(path, 'utf8');
      return text !== previous;
    },
    `${what} to reach ${path}`,
  );
  return text;
}

/**
 * Whether the UI writes an edit at once or stages it behind "Save" (and a
 * confirmation with the diff) is the UI's choice; this completes either flow.
 */
export async function saveIfStaged(browser, path, previous) {
  const staged = async () => {
    const save = browser.$('[data-testid="save"]');
    return (await save.isExisting()) && (await save.isDisplayed()) && (await save.isEnabled());
  };
  const written = async () => (await readFile(path, 'utf8')) !== previous;
  await until(browser, async () => (await written()) || (await staged()), 'the edit to be written or staged');
  if (await written()) return;
  await (await byTestId(browser, 'save')).click();
  const confirm = browser.$('[data-testid="confirm-save"]');
  await until(browser, async () => (await written()) || (await confirm.isDisplayed().catch(() => false)), 'a save confirmation');
  if (!(await written())) await confirm.click();
}

async function visibleText(browser) {
  try {
    const text = await browser.execute(() => document.body.innerText);
    return `The window showed: ${JSON.stringify(String(text).slice(0, 600))}`;
  } catch (e) {
    return `(could not read the window: ${e.message})`;
  }
}

/**
 * Calls a command from inside the webview, as the UI's code would. The result
 * must not have an `error` key: webdriverio would take it for a WebDriver error.
 */
export async function invokeFromPage(browser, command, args = {}) {
  return browser.execute((cmd, a) => window.__TAURI_INTERNALS__.invoke(cmd, a).then(
    (value) => ({ ok: true, value }),
    (e) => ({ ok: false, rejection: typeof e === 'string' ? e : JSON.stringify(e) }),
  ), command, args);
}
