// Benchmark, printed and never asserted: a ~20 MB list body rendered by the
// API screen's viewer in the real window. The embedded sandbox's developer
// account is seeded with enough customers for 20 MB of pretty-printed JSON,
// the rate limit is lifted, and the API screen's "fetch all" (limit=100 a page)
// loads them; the UI then publishes `window.__appdeckViewerStats`
// = {firstPaintMs, longestStallMs} for the body it rendered. Prints those as
// "BENCH viewer.<figure> …" lines that `make bench` collects.
// Run: tests/e2e/run.sh bench/viewer-20mb.bench.mjs (make bench does, on the release build).

import { test } from 'node:test';

import { byTestId, launchApp, until } from '../support/app.mjs';
import { control, embeddedSandboxUrl } from '../support/sandbox.mjs';

const TARGET_BYTES = 20 * 1024 * 1024;

test('20 MB response in the viewer: time to first paint and longest main-thread stall', { timeout: 600_000 }, async () => {
  const app = await launchApp();
  const { browser } = app;
  try {
    await byTestId(browser, 'project-path', { timeout: 30_000 });
    const base = await embeddedSandboxUrl(browser);
    const info = await (await fetch(`${base}/_appdeck/info`)).json();
    const key = info.developer.secret_key;
    await control(base, 'settings', { rate_limit: false });

    // How big is one customer as the viewer's fetch-all body prints it?
    await control(base, 'seed/customers', { count: 100 });
    const page = await (await fetch(`${base}/v1/customers?limit=100`, { headers: { authorization: `Bearer ${key}` } })).json();
    const perObject = JSON.stringify(page.data, null, 2).length / page.data.length;
    const want = Math.ceil(TARGET_BYTES / perObject);
    const seedStart = Date.now();
    await control(base, 'seed/customers', { count: Math.max(1, want - page.data.length) });
    console.log(`seeded ${want} customers (~${Math.round(perObject)} bytes each pretty-printed) in ${Date.now() - seedStart} ms`);

    await (await byTestId(browser, 'nav-api')).click();
    const value = await byTestId(browser, 'api-param-value');
    await value.clearValue();
    await value.setValue('100');
    const max = await byTestId(browser, 'api-fetch-max');
    await max.clearValue();
    await max.setValue(String(want + 1000));
    await browser.execute(() => { window.__appdeckViewerStats = undefined; });
    const fetchStart = Date.now();
    await (await byTestId(browser, 'api-fetch-all')).click();
    const progress = await byTestId(browser, 'api-fetch-progress', { timeout: 30_000 });
    await until(browser, async () => (await progress.getText()).includes('complete'),
      'fetch all to finish', { timeout: 300_000, interval: 500 });
    const fetchedMs = Date.now() - fetchStart;
    let stats = null;
    await until(browser, async () => {
      stats = await browser.execute(() => window.__appdeckViewerStats ?? null);
      return stats !== null;
    }, 'window.__appdeckViewerStats', { timeout: 120_000, interval: 250 });
    console.log(`progress: ${await progress.getText()}`);
    console.log(`fetch all: ${fetchedMs} ms for ${want} objects; body ≈ ${(want * perObject / 1024 / 1024).toFixed(1)} MB`);
    console.log(`viewer: firstPaintMs=${stats.firstPaintMs} longestStallMs=${stats.longestStallMs}`);
    const mb = (want * perObject / 1024 / 1024).toFixed(1);
    console.log(`BENCH viewer.first_paint value=${stats.firstPaintMs} unit=ms body_mb=${mb} objects=${want}`);
    console.log(`BENCH viewer.longest_stall value=${stats.longestStallMs} unit=ms body_mb=${mb}`);
    console.log(`BENCH viewer.fetch_all value=${fetchedMs} unit=ms objects=${want}`);
  } finally {
    await app.close();
  }
});
