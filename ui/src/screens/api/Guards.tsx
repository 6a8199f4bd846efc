import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toAppError, type AppError } from "../../api/errors";
import { useApplyEditAndSave, useLiveWrites, useManifest } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";
import { GrantForm } from "../permissions/GrantForm";

/** Red while calling as a live account or install; writes need an explicit unlock for the session. */
export function LiveBanner({ write }: { write: boolean }) {
  const live = useLiveWrites();
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="banner live-banner" role="alert" data-testid="live-banner">
      <strong>LIVE MODE</strong>
      <span>
        Real data and real money.{" "}
        {live.unlocked ? "Writes are unlocked for this session." : write ? "Writes are locked: only GET is sent until you unlock them." : "Only GET is allowed until you unlock writes."}
      </span>
      <div className="banner-actions">
        {live.unlocked ? (
          <button type="button" className="btn btn-small" onClick={() => live.change.mutate(false)} data-testid="live-lock">
            Lock live writes
          </button>
        ) : confirming ? (
          <>
            <span>Unlock POST and DELETE in live mode until Appdeck quits?</span>
            <button
              type="button"
              className="btn btn-small"
              autoFocus
              data-testid="live-unlock-confirm"
              onClick={() => live.change.mutate(true, { onSettled: () => setConfirming(false) })}
            >
              Yes, unlock live writes
            </button>
            <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-small" onClick={() => setConfirming(true)} data-testid="live-unlock">
            Unlock live writes for this session…
          </button>
        )}
      </div>
      {live.change.isError && <ErrorBox error={live.change.error} compact />}
    </div>
  );
}

/**
 * The manifest lacks `permission` for this call (pre-check, or a 403 from the API): offer to
 * grant it through the manifest engine, with the purpose Stripe requires.
 */
export function GrantOffer({ permission, manifestPath, after403 }: { permission: string; manifestPath: string; after403: boolean }) {
  const client = useQueryClient();
  const manifest = useManifest(manifestPath, manifestPath !== "");
  const apply = useApplyEditAndSave(manifestPath);
  const [asking, setAsking] = useState(false);
  const [granted, setGranted] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const grant = async (purpose: string) => {
    const revision = manifest.data?.document.revision;
    if (revision === undefined) return;
    try {
      await apply.mutateAsync({ expectedRevision: revision, edit: { kind: "grant-permission", permission, purpose } });
      setGranted(true);
      setAsking(false);
      setError(null);
      void client.invalidateQueries({ queryKey: ["apiPrecheck"] });
    } catch (e) {
      setError(toAppError(e));
    }
  };
  if (granted)
    return (
      <div className="notice" role="status" data-testid="grant-done">
        Granted <code>{permission}</code> in the manifest. Installs keep the permissions they were granted: run the install flow again to get it.
      </div>
    );
  return (
    <div className="perm-warning" role="status" data-testid={after403 ? "permission-403" : "permission-precheck"} data-permission={permission}>
      <p>
        {after403 ? "Stripe refused the call: " : "Calling as an install, this route needs "}
        <code>{permission}</code>
        {after403 ? " is missing." : ", which the manifest doesn't grant."}
      </p>
      {manifestPath === "" ? (
        <p className="muted small">Open the app's manifest to grant it.</p>
      ) : asking ? (
        <GrantForm permission={permission} busy={apply.isPending} onGrant={(p) => void grant(p)} onCancel={() => setAsking(false)} />
      ) : (
        <button type="button" className="btn btn-small" onClick={() => setAsking(true)} data-testid="grant-in-manifest">
          Grant in manifest…
        </button>
      )}
      {error && <ErrorBox error={error} title="The permission was not granted" compact />}
    </div>
  );
}
