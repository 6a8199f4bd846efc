import { useState } from "react";
import { useBackend } from "../../api/context";
import { toAppError, type AppError } from "../../api/errors";
import { useInstallLink } from "../../api/queries";
import { CopyButton } from "../../components/CopyButton";
import { ErrorBox } from "../../components/ErrorBox";
import { AccountPicker, DEFAULT_REDIRECT, RedirectPicker, useRedirectUris } from "./pickers";

function LinkRow({ label, account, redirectUri, platform }: { label: string; account: string; redirectUri: string; platform: boolean }) {
  const backend = useBackend();
  const link = useInstallLink({ account: account || undefined, redirect_uri: redirectUri === DEFAULT_REDIRECT ? undefined : redirectUri, platform });
  const [openError, setOpenError] = useState<AppError | null>(null);
  const kind = platform ? "platform" : "oauth";
  return (
    <div className="field">
      <span className="label">{label}</span>
      {link.isPending ? (
        <span className="muted small">Building the link…</span>
      ) : link.isError ? (
        <ErrorBox error={link.error} compact />
      ) : (
        <div className="url-box">
          <code data-testid={`install-link-${kind}`}>{link.data}</code>
          <CopyButton text={link.data} testId={`install-link-copy-${kind}`} />
          <button
            type="button"
            className="btn btn-small"
            data-testid={`install-link-open-${kind}`}
            onClick={() => {
              setOpenError(null);
              backend.openUrl(link.data).catch((e: unknown) => setOpenError(toAppError(e)));
            }}
          >
            Open in browser
          </button>
        </div>
      )}
      {openError && <ErrorBox error={openError} title="The browser could not be opened: copy the link instead" compact />}
    </div>
  );
}

/** OAuth and platform install links for the open manifest's app, to copy or open. */
export function InstallLinks({ manifestPath }: { manifestPath: string }) {
  const uris = useRedirectUris(manifestPath);
  const [account, setAccount] = useState("");
  const [redirect, setRedirect] = useState(DEFAULT_REDIRECT);
  return (
    <section className="panel">
      <div className="panel-head">
        <h2>Install links</h2>
      </div>
      <div className="field-row">
        <AccountPicker value={account} onChange={setAccount} testId="link-account" />
        <RedirectPicker uris={uris} value={redirect} onChange={setRedirect} testId="link-redirect" />
      </div>
      <LinkRow label="OAuth" account={account} redirectUri={redirect} platform={false} />
      <LinkRow label="Platform (install link)" account={account} redirectUri={redirect} platform />
    </section>
  );
}
