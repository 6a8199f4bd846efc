/**
 * Simplified stand-ins for the Rust core's validation, edits and diff, so the UI runs
 * in a plain browser and in component tests. Not the domain logic: the real rules live in Rust.
 */
import type { Diagnostic } from "../bindings/Diagnostic";
import type { DiffLine } from "../bindings/DiffLine";
import type { ManifestEdit } from "../bindings/ManifestEdit";
import type { ManifestRead } from "../bindings/ManifestRead";
import type { PermissionInfo } from "../bindings/PermissionInfo";
import { AppError } from "./errors";

type Json = Record<string, unknown>;

const encoder = new TextEncoder();

function byteOffset(text: string, charIndex: number): number {
  return encoder.encode(text.slice(0, Math.max(0, charIndex))).length;
}

function lineColumn(text: string, charIndex: number): { line: number; column: number } {
  const before = text.slice(0, charIndex);
  const line = before.split("\n").length;
  const column = charIndex - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}

function diag(
  text: string,
  severity: Diagnostic["severity"],
  code: string,
  message: string,
  pointer: string,
  charStart: number,
  charEnd: number,
  suggestion: string | null = null,
): Diagnostic {
  const { line, column } = lineColumn(text, charStart);
  return {
    severity,
    code,
    message,
    pointer,
    line,
    column,
    start: byteOffset(text, charStart),
    end: byteOffset(text, charEnd),
    suggestion,
    file: null,
  };
}

export function parseManifest(text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new AppError("manifest-syntax", `The manifest is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AppError("manifest-syntax", "The manifest must be a JSON object.");
  }
  return value as Json;
}

/** A stand-in for core's `manifest::view::read`, so the fake's answers carry a view. */
export function fakeRead(text: string): ManifestRead {
  let doc: Json;
  try {
    doc = parseManifest(text);
  } catch (e) {
    return { kind: "unreadable", reason: (e as Error).message };
  }
  const obj = (v: unknown): Json | null => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : null);
  const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v));
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const ext = obj(doc.ui_extension);
  const csp = obj(ext?.content_security_policy) ?? {};
  const post = obj(doc.post_install_action);
  return {
    kind: "view",
    view: {
      id: str(doc.id),
      name: str(doc.name),
      version: str(doc.version),
      icon: str(doc.icon),
      distribution_type: str(doc.distribution_type) || "private",
      access_type: str(doc.stripe_api_access_type) || "platform",
      sandbox_install_compatible: doc.sandbox_install_compatible === true,
      redirect_uris: list(doc.allowed_redirect_uris).map(str),
      permissions: list(doc.permissions).map((p) => {
        const entry = obj(p);
        const purpose = obj(entry?.purpose);
        return {
          permission: str(entry ? entry.permission : p),
          purpose: purpose ? str(Object.values(purpose)[0]) : str(entry?.purpose),
          purpose_is_map: purpose !== null,
        };
      }),
      views: list(ext?.views).map((v) => ({ viewport: str(obj(v)?.viewport ?? v), component: str(obj(v)?.component) })),
      connect_src: list(csp["connect-src"]).map(str),
      image_src: list(csp["image-src"]).map(str),
      csp_purpose: str(csp.purpose),
      post_install_type: post ? str(post.type) : null,
      post_install_url: str(post?.url),
    },
  };
}

function locate(text: string, needle: string, from = 0): [number, number] {
  const at = text.indexOf(needle, from);
  return at < 0 ? [0, 0] : [at, at + needle.length];
}

export function fakeValidate(text: string, catalog: PermissionInfo[]): Diagnostic[] {
  let doc: Json;
  try {
    doc = parseManifest(text);
  } catch (e) {
    const match = /position (\d+)/.exec((e as Error).message);
    const at = match ? Number(match[1]) : 0;
    return [diag(text, "error", "json-syntax", (e as Error).message, "", at, Math.min(text.length, at + 1))];
  }
  const out: Diagnostic[] = [];
  for (const field of ["id", "name", "version"]) {
    if (typeof doc[field] !== "string" || doc[field] === "") {
      const [s, e] = locate(text, `"${field}"`);
      out.push(diag(text, "error", "required-field", `\`${field}\` is required and must be a non-empty string.`, `/${field}`, s, e));
    }
  }
  const known = new Set(catalog.map((p) => p.permission));
  const perms = Array.isArray(doc.permissions) ? doc.permissions : [];
  perms.forEach((entry: unknown, i) => {
    const name = typeof entry === "object" && entry !== null ? (entry as Json).permission : entry;
    if (typeof name !== "string") return;
    const [s, e] = locate(text, `"${name}"`);
    if (!known.has(name)) {
      const guess = closest(name, [...known]);
      out.push(
        diag(text, "error", "unknown-permission", `\`${name}\` is not a Stripe Apps permission.`, `/permissions/${i}/permission`, s, e, guess),
      );
    }
    const purpose = typeof entry === "object" && entry !== null ? (entry as Json).purpose : undefined;
    if (purpose === "" || purpose === undefined) {
      out.push(diag(text, "warning", "empty-purpose", `\`${name}\` has no purpose; app review reads it.`, `/permissions/${i}/purpose`, s, e));
    }
  });
  return out;
}

function closest(name: string, candidates: string[]): string | null {
  let best: string | null = null;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return bestScore <= 3 ? best : null;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

function obj(parent: Json, key: string): Json {
  const v = parent[key];
  if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Json;
  const created: Json = {};
  parent[key] = created;
  return created;
}

function arr(parent: Json, key: string): unknown[] {
  const v = parent[key];
  if (Array.isArray(v)) return v;
  const created: unknown[] = [];
  parent[key] = created;
  return created;
}

function removeWhere(list: unknown[], pred: (v: unknown) => boolean, what: string): void {
  const i = list.findIndex(pred);
  if (i < 0) throw new AppError("edit-not-applicable", `${what} is not in the manifest.`);
  list.splice(i, 1);
}

const permName = (v: unknown) => (typeof v === "object" && v !== null ? (v as Json).permission : v);

export function fakeApplyEdit(text: string, edit: ManifestEdit, catalog: PermissionInfo[]): string {
  const doc = parseManifest(text);
  const csp = () => obj(obj(doc, "ui_extension"), "content_security_policy");
  switch (edit.kind) {
    case "grant-permission": {
      if (!catalog.some((p) => p.permission === edit.permission)) {
        throw new AppError("edit-refused", `\`${edit.permission}\` is not a Stripe Apps permission.`);
      }
      if (edit.purpose.trim() === "") throw new AppError("edit-refused", "A purpose is required.");
      const list = arr(doc, "permissions");
      const existing = list.find((p) => permName(p) === edit.permission);
      if (existing && typeof existing === "object") (existing as Json).purpose = edit.purpose;
      else list.push({ permission: edit.permission, purpose: edit.purpose });
      break;
    }
    case "revoke-permission":
      removeWhere(arr(doc, "permissions"), (p) => permName(p) === edit.permission, `\`${edit.permission}\``);
      break;
    case "set-permission-purpose": {
      const found = arr(doc, "permissions").find((p) => permName(p) === edit.permission);
      if (!found || typeof found !== "object") throw new AppError("edit-not-applicable", `\`${edit.permission}\` is not granted.`);
      (found as Json).purpose = edit.purpose;
      break;
    }
    case "grant-connect-src": {
      if (!/^https:\/\/[^/]+\/.*/.test(edit.url)) {
        throw new AppError("edit-refused", "connect-src URLs must be HTTPS and contain a path.");
      }
      const list = arr(csp(), "connect-src");
      if (!list.includes(edit.url)) list.push(edit.url);
      if (edit.purpose !== null) csp().purpose = edit.purpose;
      break;
    }
    case "revoke-connect-src":
      removeWhere(arr(csp(), "connect-src"), (u) => u === edit.url, edit.url);
      break;
    case "grant-image-src": {
      const list = arr(csp(), "image-src");
      if (!list.includes(edit.url)) list.push(edit.url);
      break;
    }
    case "revoke-image-src":
      removeWhere(arr(csp(), "image-src"), (u) => u === edit.url, edit.url);
      break;
    case "set-csp-purpose":
      csp().purpose = edit.purpose;
      break;
    case "set-distribution":
      doc.distribution_type = edit.value;
      break;
    case "set-access-type":
      doc.stripe_api_access_type = edit.value;
      break;
    case "set-name":
      doc.name = edit.value;
      break;
    case "set-version":
      doc.version = edit.value;
      break;
    case "set-icon":
      doc.icon = edit.value;
      break;
    case "set-id":
      doc.id = edit.value;
      break;
    case "set-sandbox-install-compatible":
      doc.sandbox_install_compatible = edit.value;
      break;
    case "add-view":
      arr(obj(doc, "ui_extension"), "views").push({ viewport: edit.viewport, component: edit.component });
      break;
    case "remove-view":
      removeWhere(
        arr(obj(doc, "ui_extension"), "views"),
        (v) => typeof v === "object" && v !== null && (v as Json).viewport === edit.viewport && (v as Json).component === edit.component,
        `View ${edit.component}`,
      );
      break;
    case "add-redirect-uri": {
      const list = arr(doc, "allowed_redirect_uris");
      if (!list.includes(edit.uri)) list.push(edit.uri);
      break;
    }
    case "remove-redirect-uri":
      removeWhere(arr(doc, "allowed_redirect_uris"), (u) => u === edit.uri, edit.uri);
      break;
    case "set-post-install-action":
      doc.post_install_action =
        edit.action_type === null ? null : edit.action_type === "external" ? { type: "external", url: edit.url ?? "" } : { type: edit.action_type };
      break;
  }
  return JSON.stringify(doc, null, 2) + "\n";
}

/** A plain LCS line diff. */
export function fakeDiff(oldText: string, newText: string): DiffLine[] {
  const a = oldText.split("\n");
  const b = newText.split("\n");
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  const at = (i: number, j: number) => lcs[i * w + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ tag: "equal", old_line: i + 1, new_line: j + 1, text: a[i] ?? "" });
      i++;
      j++;
    } else if (j < m && (i >= n || at(i, j + 1) >= at(i + 1, j))) {
      out.push({ tag: "insert", old_line: null, new_line: j + 1, text: b[j] ?? "" });
      j++;
    } else {
      out.push({ tag: "delete", old_line: i + 1, new_line: null, text: a[i] ?? "" });
      i++;
    }
  }
  return out;
}

/** FNV-1a: the fake's stand-in for the SHA-256 revision. */
export function fakeRevision(text: string): string {
  let h = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
