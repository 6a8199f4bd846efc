// Benchmark, printed and never asserted: memory growth of the desktop app
// across 1,000 API calls made through the UI's backend. In the real window,
// the page invokes `api_send` (GET /v1/customers as the embedded sandbox's
// developer account, the rate limit lifted) 1,000 times, in batches of 100 per
// WebDriver script, as the API screen's backend does; each call goes through
// the history. RSS and PSS of the app plus its WebKit processes
// (/proc/PID/smaps_rollup, see proc.mjs) are read once the UI is up and the
// first 10 calls are made (so one-time setup is not counted), then after the
// 1,000 calls and after 3 s of rest.
// Prints "BENCH api_memory.<figure> …" lines that `make bench` collects.
// Run: tests/e2e/run.sh bench/api-memory.bench.mjs (make bench does, on the release build).

import { test } from 'node:test';

import { byTestId, launchApp } from '../support/app.mjs';
import { control, embeddedSandboxUrl } from '../support/sandbox.mjs';
import { appPid, treeMemory } from './proc.mjs';

const CALLS = Number(process.env.APPDECK_BENCH_API_CALLS || 1000);
const BATCH = 100;
const WARMUP = 10;

/** `n` sequential api_send calls from the page; resolves to { ok, failed, ms[] }. */
async function sendFromPage(browser, n) {
  return browser.execute(async (count) => {
    const request = {
      method: 'GET', path: '/v1/customers', params: [], raw_body: null, stripe_account: null,
      stripe_version: null, idempotency_key: null, auth: { kind: 'account', name: null },
    };
    const out = { ok: 0, failed: 0, ms: [], firstFailure: null };
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      try {
        const r = await window.__TAURI_INTERNALS__.invoke('api_send', { request });
        if (r.status === 200) out.ok += 1;
        else {
          out.failed += 1;
          out.firstFailure ??= `status ${r.status}`;
        }
      } catch (e) {
        out.failed += 1;
        out.firstFailure ??= typeof e === 'string' ? e : JSON.stringify(e);
      }
      out.ms.push(performance.now() - t);
    }
    return out;
  }, n);
}

const fmt = (x) => x.toFixed(1);
function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

test(`memory growth across ${CALLS} API calls through the UI's backend`, { timeout: 600_000 }, async () => {
  const app = await launchApp();
  const { browser } = app;
  try {
    await byTestId(browser, 'project-path', { timeout: 30_000 });
    await control(await embeddedSandboxUrl(browser), 'settings', { rate_limit: false });

    const pid = await appPid(app.configDir);
    const warm = await sendFromPage(browser, WARMUP);
    if (warm.ok === 0) throw new Error(`api_send does not work: ${warm.firstFailure}`);
    const before = await treeMemory(pid);
    console.log(`app pid ${pid}; processes: ${before.processes.map((p) => p.name).join(', ')}`);

    const ms = [];
    let ok = 0;
    let failed = 0;
    let firstFailure = null;
    const start = Date.now();
    for (let done = 0; done < CALLS; done += BATCH) {
      const batch = await sendFromPage(browser, Math.min(BATCH, CALLS - done));
      ok += batch.ok;
      failed += batch.failed;
      firstFailure ??= batch.firstFailure;
      ms.push(...batch.ms);
    }
    const wallMs = Date.now() - start;
    const after = await treeMemory(pid);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const rested = await treeMemory(pid);

    ms.sort((a, b) => a - b);
    console.log(`${CALLS} calls in ${wallMs} ms: ${ok} ok, ${failed} failed${firstFailure ? ` (first: ${firstFailure})` : ''}`);
    console.log(`RSS MB: before ${fmt(before.rssMb)}, after ${fmt(after.rssMb)}, after 3 s ${fmt(rested.rssMb)}`);
    console.log(`PSS MB: before ${fmt(before.pssMb)}, after ${fmt(after.pssMb)}, after 3 s ${fmt(rested.pssMb)}`);
    for (const p of before.processes) {
      const later = after.processes.find((q) => q.pid === p.pid);
      console.log(`  ${p.name.padEnd(16)} RSS ${fmt(p.rssMb)} → ${later ? fmt(later.rssMb) : 'gone'} MB, PSS ${fmt(p.pssMb)} → ${later ? fmt(later.pssMb) : 'gone'} MB`);
    }
    console.log(`BENCH api_memory.calls value=${CALLS} ok=${ok} failed=${failed} wall_s=${(wallMs / 1000).toFixed(2)} unit=calls`);
    console.log(`BENCH api_memory.call n=${ms.length} median=${quantile(ms, 0.5).toFixed(3)} p95=${quantile(ms, 0.95).toFixed(3)} min=${ms[0].toFixed(3)} max=${ms[ms.length - 1].toFixed(3)} unit=ms`);
    for (const [kind, key] of [['rss', 'rssMb'], ['pss', 'pssMb']]) {
      console.log(`BENCH api_memory.${kind}_before value=${fmt(before[key])} unit=mb`);
      console.log(`BENCH api_memory.${kind}_after value=${fmt(after[key])} unit=mb`);
      console.log(`BENCH api_memory.${kind}_after_rest value=${fmt(rested[key])} unit=mb`);
      console.log(`BENCH api_memory.${kind}_growth value=${fmt(after[key] - before[key])} unit=mb`);
    }
  } finally {
    await app.close();
  }
});
