import { useId, useMemo } from "react";
import { useAccounts, useManifest } from "../../api/queries";
import { KIND_LABEL } from "../accounts/KindBadge";

/**
 * The redirect picker's "let core choose" value: the flow is started without a redirect URI and
 * core picks the default of the uploadable stripe-app.json (the checklist shows which, or why none).
 */
export const DEFAULT_REDIRECT = "";

/** The manifest's allowed_redirect_uris, as written (empty without a project or when it doesn't parse). */
export function useRedirectUris(manifestPath: string): string[] {
  const manifest = useManifest(manifestPath, manifestPath !== "");
  const read = manifest.data?.read;
  return useMemo(() => (read?.kind === "view" ? read.view.redirect_uris : []), [read]);
}

export function AccountPicker({ value, onChange, testId, disabled = false }: { value: string; onChange: (v: string) => void; testId?: string; disabled?: boolean }) {
  const id = useId();
  const accounts = useAccounts();
  const current = accounts.data?.accounts.find((a) => a.name === accounts.data?.current);
  return (
    <div className="field">
      <label htmlFor={id}>Developer account</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} disabled={disabled || !accounts.data}>
        <option value="">Current account{current ? ` (${current.name} — ${KIND_LABEL[current.kind]})` : ""}</option>
        {accounts.data?.accounts.map((a) => (
          <option key={a.name} value={a.name} data-kind={a.kind}>
            {a.name} — {KIND_LABEL[a.kind]}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The user's choice, passed to core as is: no URI is offered that the manifest doesn't list, and
 * whether Stripe would redirect to the chosen one is core's verdict (the checklist, or the refusal
 * of install_start), never decided here.
 */
export function RedirectPicker({
  uris,
  value,
  onChange,
  testId,
  chosen,
  disabled = false,
}: {
  uris: string[];
  value: string;
  onChange: (v: string) => void;
  testId?: string;
  /** What core would use for the default, when known. */
  chosen?: string | null;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Redirect URI</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} disabled={disabled}>
        <option value={DEFAULT_REDIRECT}>Default of stripe-app.json{chosen ? ` (${chosen})` : ""}</option>
        {uris.map((u) => (
          <option key={u} value={u}>
            {u}
          </option>
        ))}
      </select>
      <div className="field-hint">As written in allowed_redirect_uris. Stripe redirects only to a URI of the uploaded stripe-app.json, matched exactly.</div>
    </div>
  );
}
