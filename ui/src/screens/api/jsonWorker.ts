/// <reference lib="webworker" />
/** Parses and indexes response bodies off the main thread (a 20 MB body must not freeze the UI). */
import { indexText, transferables } from "../../lib/jsonIndex";

self.onmessage = (e: MessageEvent<{ id: number; text: string }>) => {
  const { id, text } = e.data;
  try {
    const index = indexText(text);
    (self as unknown as Worker).postMessage({ id, index }, transferables(index));
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
