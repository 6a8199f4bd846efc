// Memory of a launched app and every process under it (WebKit's web and
// network processes), read from /proc, for the GUI benchmarks.
//
// The app is found by its command line: launchApp() gives each launch its own
// temp config dir, so the one process whose argv holds it is that launch's app
// (tauri-driver and WebKitWebDriver start it; we never get its pid directly).

import { readdir, readFile } from 'node:fs/promises';

async function cmdline(pid) {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
  } catch {
    return null;
  }
}

/** The pid of the app process launched with `--config-dir configDir`. */
export async function appPid(configDir) {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await cmdline(entry);
    if (argv && argv.includes('--config-dir') && argv.includes(configDir) && !argv[0].endsWith('node')) {
      return Number(entry);
    }
  }
  throw new Error(`no process runs with --config-dir ${configDir}`);
}

async function children(pid) {
  const out = [];
  let tasks = [];
  try {
    tasks = await readdir(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      const text = await readFile(`/proc/${pid}/task/${t}/children`, 'utf8');
      out.push(...text.split(/\s+/).filter(Boolean).map(Number));
    } catch {
      // the task ended meanwhile
    }
  }
  return out;
}

/** The pid and all its descendants. */
export async function treePids(pid) {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) pids.push(...(await children(pids[i])));
  return pids;
}

/**
 * `{ rssMb, pssMb, processes }` summed over the tree (from smaps_rollup);
 * `processes` lists each one as `{ pid, name, rssMb, pssMb }`.
 */
export async function treeMemory(pid) {
  let rss = 0;
  let pss = 0;
  const processes = [];
  for (const p of await treePids(pid)) {
    try {
      const text = await readFile(`/proc/${p}/smaps_rollup`, 'utf8');
      const r = Number(/^Rss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
      const s = Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
      const name = (await readFile(`/proc/${p}/comm`, 'utf8')).trim();
      rss += r;
      pss += s;
      processes.push({ pid: p, name, rssMb: r / 1024, pssMb: s / 1024 });
    } catch {
      // the process ended meanwhile
    }
  }
  return { rssMb: rss / 1024, pssMb: pss / 1024, processes };
}
