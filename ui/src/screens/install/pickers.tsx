import { useId, useMemo } from "react";
import { useAccounts, useManifest } from "../../api/queries";
import { readManifest } from "../../lib/manifestView";

/** The default redirect URI: loopback on an ephemeral port. */
export const EPHEMERAL = "http://127.0.0.1/callback";

/** The manifest's allowed_redirect_uris (empty without a project or when it doesn't parse). */
export function useRedirectUris(manifestPath: string): string[] {
  const manifest = useManifest(manifestPath, manifestPath !== "");
  const text = manifest.data?.document.text;
  return useMemo(() => {
    if (text === undefined) return [];
    const read = readManifest(text);
    return read.ok ? read.view.redirectUris : [];
  }, [text]);
}

export function AccountPicker({ value, onChange, testId }: { value: string; onChange: (v: string) => void; testId?: string }) {
  const id = useId();
  const accounts = useAccounts();
  return (
    <div className="field">
      <label htmlFor={id}>Developer account</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} disabled={!accounts.data}>
        <option value="">Current account{accounts.data?.current ? ` (${accounts.data.current})` : ""}</option>
        {accounts.data?.accounts.map((a) => (
          <option key={a.name} value={a.name}>
            {a.name} — {a.mode === "live" ? "LIVE" : a.mode}
          </option>
        ))}
      </select>
    </div>
  );
}

export function RedirectPicker({ uris, value, onChange, testId }: { uris: string[]; value: string; onChange: (v: string) => void; testId?: string }) {
  const id = useId();
  const options = [EPHEMERAL, ...uris.filter((u) => u !== EPHEMERAL)];
  return (
    <div className="field">
      <label htmlFor={id}>Redirect URI</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {options.map((u) => (
          <option key={u} value={u}>
            {u === EPHEMERAL ? `${u} (loopback, ephemeral port)` : u}
          </option>
        ))}
      </select>
      <div className="field-hint">From the manifest's allowed_redirect_uris. A URI that isn't loopback asks you to paste the URL you land on.</div>
    </div>
  );
}
