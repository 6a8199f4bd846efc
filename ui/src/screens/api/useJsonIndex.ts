import { useEffect, useState } from "react";
import { indexText, type JsonIndex } from "../../lib/jsonIndex";

export type IndexState = { status: "parsing" } | { status: "ready"; index: JsonIndex } | { status: "invalid"; reason: string };

let worker: Worker | null | undefined;
let nextId = 0;
const waiting = new Map<number, (r: { index?: JsonIndex; error?: string }) => void>();

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = typeof Worker === "undefined" ? null : new Worker(new URL("./jsonWorker.ts", import.meta.url), { type: "module" });
    if (worker) {
      worker.onmessage = (e: MessageEvent<{ id: number; index?: JsonIndex; error?: string }>) => {
        waiting.get(e.data.id)?.(e.data);
        waiting.delete(e.data.id);
      };
      worker.onerror = () => {
        // A worker that can't load (CSP, old engine): parse on the main thread from now on.
        for (const [, done] of waiting) done({ error: "__retry__" });
        waiting.clear();
        worker = null;
      };
    }
  } catch {
    worker = null;
  }
  return worker;
}

function parse(text: string): Promise<JsonIndex> {
  const run = (resolve: (i: JsonIndex) => void, reject: (e: Error) => void) => {
    const w = getWorker();
    if (!w) {
      // No worker (tests, or it failed): yield once so the "parsing" state paints, then parse here.
      setTimeout(() => {
        try {
          resolve(indexText(text));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }, 0);
      return;
    }
    const id = ++nextId;
    waiting.set(id, (r) => {
      if (r.error === "__retry__") run(resolve, reject);
      else if (r.error !== undefined) reject(new Error(r.error));
      else if (r.index) resolve(r.index);
    });
    w.postMessage({ id, text });
  };
  return new Promise(run);
}

/** The body's index, built off the main thread; `invalid` for bodies that aren't JSON. */
export function useJsonIndex(text: string): IndexState {
  const [state, setState] = useState<{ text: string; value: IndexState }>({ text, value: { status: "parsing" } });
  if (state.text !== text) setState({ text, value: { status: "parsing" } });
  useEffect(() => {
    let live = true;
    parse(text).then(
      (index) => live && setState({ text, value: { status: "ready", index } }),
      (e: Error) => live && setState({ text, value: { status: "invalid", reason: e.message } }),
    );
    return () => {
      live = false;
    };
  }, [text]);
  return state.text === text ? state.value : { status: "parsing" };
}
