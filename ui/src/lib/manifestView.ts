/**
 * A read-only view of a manifest's fields for forms and lists. Reading only: every change
 * goes through the core (`preview_edit`, `apply_edit_and_save`).
 */
export interface GrantedPermission {
  permission: string;
  /** Text for display; a locale map is shown as its first value. */
  purpose: string;
  purposeIsMap: boolean;
}

export interface ViewEntry {
  viewport: string;
  component: string;
}

export interface ManifestView {
  id: string;
  name: string;
  version: string;
  icon: string;
  distributionType: string;
  accessType: string;
  sandboxInstallCompatible: boolean;
  redirectUris: string[];
  permissions: GrantedPermission[];
  hasUiExtension: boolean;
  views: ViewEntry[];
  connectSrc: string[];
  imageSrc: string[];
  cspPurpose: string;
  postInstallType: string | null;
  postInstallUrl: string;
}

export type ReadResult = { ok: true; view: ManifestView } | { ok: false; reason: string };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v));
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);

function purposeText(v: unknown): { purpose: string; purposeIsMap: boolean } {
  if (isObj(v)) return { purpose: str(Object.values(v)[0]), purposeIsMap: true };
  return { purpose: str(v), purposeIsMap: false };
}

/** Blank out line and block comments outside strings (some real manifests have them), keeping offsets. */
export function stripComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) {
      const block = text[i + 1] === "*";
      const end = block ? text.indexOf("*/", i + 2) : text.indexOf("\n", i);
      const stop = end < 0 ? text.length : block ? end + 2 : end;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

export function readManifest(text: string): ReadResult {
  let doc: unknown;
  try {
    doc = JSON.parse(stripComments(text));
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if (!isObj(doc)) return { ok: false, reason: "The manifest is not a JSON object." };
  const ext = isObj(doc.ui_extension) ? doc.ui_extension : null;
  const csp = ext && isObj(ext.content_security_policy) ? ext.content_security_policy : {};
  const post = isObj(doc.post_install_action) ? doc.post_install_action : null;
  const permissions = (Array.isArray(doc.permissions) ? doc.permissions : []).map((p): GrantedPermission => {
    if (isObj(p)) return { permission: str(p.permission), ...purposeText(p.purpose) };
    return { permission: str(p), purpose: "", purposeIsMap: false };
  });
  const views = (ext && Array.isArray(ext.views) ? ext.views : []).map((v): ViewEntry =>
    isObj(v) ? { viewport: str(v.viewport), component: str(v.component) } : { viewport: str(v), component: "" },
  );
  return {
    ok: true,
    view: {
      id: str(doc.id),
      name: str(doc.name),
      version: str(doc.version),
      icon: str(doc.icon),
      distributionType: str(doc.distribution_type) || "private",
      accessType: str(doc.stripe_api_access_type) || "platform",
      sandboxInstallCompatible: doc.sandbox_install_compatible === true,
      redirectUris: strings(doc.allowed_redirect_uris),
      permissions,
      hasUiExtension: ext !== null,
      views,
      connectSrc: strings(csp["connect-src"]),
      imageSrc: strings(csp["image-src"]),
      cspPurpose: str(csp.purpose),
      postInstallType: post ? str(post.type) : null,
      postInstallUrl: post ? str(post.url) : "",
    },
  };
}
