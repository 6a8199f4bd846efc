/**
 * A parsed JSON document flattened into columns, for a virtualized tree: node i's subtree is
 * [i, end[i]), so collapsing skips it in O(1) and a 20 MB body becomes a few typed arrays and
 * two long strings (cheap to post from a worker: typed arrays are transferred, strings copied once).
 */

export const KIND_OBJECT = 0;
export const KIND_ARRAY = 1;
export const KIND_STRING = 2;
export const KIND_NUMBER = 3;
export const KIND_BOOL = 4;
export const KIND_NULL = 5;

export interface JsonIndex {
  count: number;
  depth: Uint16Array;
  /** Index just past the node's last descendant. */
  end: Int32Array;
  kind: Uint8Array;
  /** Children of objects and arrays. */
  size: Int32Array;
  /** Keys (array indices as text) concatenated; node i's key is keys.slice(keyOff[i], keyOff[i+1]). */
  keys: string;
  keyOff: Int32Array;
  /** Primitive values as JSON text (long strings cut), concatenated like keys. */
  vals: string;
  valOff: Int32Array;
}

const MAX_VALUE_CHARS = 400;

export function buildIndex(value: unknown): JsonIndex {
  const depth: number[] = [];
  const end: number[] = [];
  const kind: number[] = [];
  const size: number[] = [];
  const keys: string[] = [];
  const vals: string[] = [];

  // Iterative walk: deep documents must not overflow the stack.
  type Frame = { node: number; entries: [string, unknown][] | unknown[]; isArray: boolean; pos: number };
  const stack: Frame[] = [];
  const visit = (key: string, v: unknown, d: number) => {
    const i = kind.length;
    depth.push(d);
    end.push(i + 1);
    keys.push(key);
    if (v === null) {
      kind.push(KIND_NULL);
      size.push(0);
      vals.push("null");
    } else if (Array.isArray(v)) {
      kind.push(KIND_ARRAY);
      size.push(v.length);
      vals.push("");
      stack.push({ node: i, entries: v, isArray: true, pos: 0 });
    } else if (typeof v === "object") {
      const entries = Object.entries(v as Record<string, unknown>);
      kind.push(KIND_OBJECT);
      size.push(entries.length);
      vals.push("");
      stack.push({ node: i, entries, isArray: false, pos: 0 });
    } else if (typeof v === "string") {
      kind.push(KIND_STRING);
      size.push(0);
      const text = JSON.stringify(v.length > MAX_VALUE_CHARS ? v.slice(0, MAX_VALUE_CHARS) : v);
      vals.push(v.length > MAX_VALUE_CHARS ? `${text.slice(0, -1)}…"` : text);
    } else {
      kind.push(typeof v === "number" ? KIND_NUMBER : KIND_BOOL);
      size.push(0);
      vals.push(String(v));
    }
  };
  visit("", value, 0);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Frame;
    if (top.pos >= top.entries.length) {
      end[top.node] = kind.length;
      stack.pop();
      continue;
    }
    const at = top.pos++;
    if (top.isArray) visit(String(at), (top.entries as unknown[])[at], stack.length);
    else {
      const [k, v] = (top.entries as [string, unknown][])[at] as [string, unknown];
      visit(k, v, stack.length);
    }
  }

  const offsets = (parts: string[]) => {
    const off = new Int32Array(parts.length + 1);
    let total = 0;
    for (let i = 0; i < parts.length; i++) {
      off[i] = total;
      total += (parts[i] as string).length;
    }
    off[parts.length] = total;
    return off;
  };
  return {
    count: kind.length,
    depth: Uint16Array.from(depth),
    end: Int32Array.from(end),
    kind: Uint8Array.from(kind),
    size: Int32Array.from(size),
    keys: keys.join(""),
    keyOff: offsets(keys),
    vals: vals.join(""),
    valOff: offsets(vals),
  };
}

export function keyOf(index: JsonIndex, i: number): string {
  return index.keys.slice(index.keyOff[i], index.keyOff[i + 1]);
}

export function valueOf(index: JsonIndex, i: number): string {
  return index.vals.slice(index.valOff[i], index.valOff[i + 1]);
}

export function isContainer(index: JsonIndex, i: number): boolean {
  const k = index.kind[i];
  return k === KIND_OBJECT || k === KIND_ARRAY;
}

/** The rows to show: every node, minus the descendants of collapsed containers. */
export function visibleRows(index: JsonIndex, collapsed: Uint8Array): Int32Array {
  const out = new Int32Array(index.count);
  let n = 0;
  let i = 0;
  while (i < index.count) {
    out[n++] = i;
    i = collapsed[i] ? (index.end[i] as number) : i + 1;
  }
  return out.subarray(0, n);
}

/** Parses and indexes; what the worker runs, and the fallback where there is no Worker. */
export function indexText(text: string): JsonIndex {
  return buildIndex(JSON.parse(text));
}

export function transferables(index: JsonIndex): ArrayBuffer[] {
  return [index.depth, index.end, index.kind, index.size, index.keyOff, index.valOff].map((a) => a.buffer as ArrayBuffer);
}
