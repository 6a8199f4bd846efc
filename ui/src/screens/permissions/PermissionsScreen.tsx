import { useMemo, useState } from "react";
import type { ManifestEdit } from "../../bindings/ManifestEdit";
import { toAppError, type AppError } from "../../api/errors";
import { useApplyEditAndSave, useManifest, usePermissionCatalog } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";
import { EmptyState, Loading } from "../../components/States";
import { useIsDirty } from "../manifest/bufferContext";
import { Catalog } from "./Catalog";
import { CspSection } from "./CspSection";
import { EventAdvisor } from "./EventAdvisor";
import { GrantedList } from "./GrantedList";

/**
 * Permissions and CSP, written to disk at once like `stripe apps grant` / `revoke`,
 * always against the revision last read (a stale one is rejected by the core).
 */
export function PermissionsScreen({ path }: { path: string }) {
  const manifest = useManifest(path);
  const catalog = usePermissionCatalog();
  const apply = useApplyEditAndSave(path);
  const dirty = useIsDirty(path);
  const [error, setError] = useState<AppError | null>(null);

  const read = manifest.data?.read;
  const byName = useMemo(() => new Map((catalog.data ?? []).map((p) => [p.permission, p])), [catalog.data]);
  const granted = useMemo(() => new Set(read?.kind === "view" ? read.view.permissions.map((p) => p.permission) : []), [read]);

  const change = async (edit: ManifestEdit): Promise<boolean> => {
    const revision = manifest.data?.document.revision;
    if (revision === undefined) return false;
    try {
      await apply.mutateAsync({ expectedRevision: revision, edit });
      setError(null);
      return true;
    } catch (e) {
      setError(toAppError(e));
      return false;
    }
  };
  const grant = (permission: string, purpose: string) => change({ kind: "grant-permission", permission, purpose });

  if (manifest.isPending || catalog.isPending) return <Loading label="Loading permissions…" />;
  if (manifest.isError) return <ErrorBox error={manifest.error} title="Could not load the manifest" onRetry={() => void manifest.refetch()} />;
  if (catalog.isError) return <ErrorBox error={catalog.error} title="Could not load the permission catalog" onRetry={() => void catalog.refetch()} />;
  if (read?.kind !== "view") {
    return (
      <EmptyState title="The manifest is not valid JSON">
        <p className="muted">Fix its syntax on the Manifest screen; permissions are edited on the parsed file.</p>
        {read && <p className="mono small" data-testid="unreadable-reason">{read.reason}</p>}
      </EmptyState>
    );
  }

  const busy = apply.isPending;
  return (
    <div className="permissions-screen">
      {dirty && (
        <div className="banner banner-info" role="status" data-testid="unsaved-note">
          The Manifest screen has unsaved changes. Changes here are written to disk at once; the Manifest screen will offer to reload.
        </div>
      )}
      {error && (
        <div className="dismissible">
          <ErrorBox error={error} title="The change was not written" />
          <button type="button" className="btn-icon" aria-label="Dismiss error" onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}
      <div className="permissions-grid">
        <div className="permissions-col">
          <GrantedList
            granted={read.view.permissions}
            catalog={byName}
            busy={busy}
            onSetPurpose={(permission, purpose) => void change({ kind: "set-permission-purpose", permission, purpose })}
            onRevoke={(permission) => void change({ kind: "revoke-permission", permission })}
          />
          <CspSection view={read.view} busy={busy} onEdit={change} />
          <EventAdvisor path={path} text={manifest.data.document.text} busy={busy} onGrant={grant} />
        </div>
        <Catalog catalog={catalog.data} granted={granted} busy={busy} onGrant={grant} />
      </div>
    </div>
  );
}
