export function DiskChangedBanner({
  deleted,
  busy,
  onReload,
  onKeepMine,
}: {
  deleted: boolean;
  busy: boolean;
  onReload: () => void;
  onKeepMine: () => void;
}) {
  return (
    <div className="banner banner-warning" role="alert" data-testid="disk-changed-banner">
      <span>
        {deleted
          ? "The manifest was deleted or moved on disk. Your unsaved changes are still here."
          : "The manifest changed on disk while you have unsaved changes."}
      </span>
      <span className="banner-actions">
        {!deleted && (
          <button type="button" className="btn" data-testid="reload-from-disk" disabled={busy} onClick={onReload}>
            Reload from disk
          </button>
        )}
        <button type="button" className="btn" data-testid="keep-mine" disabled={busy || deleted} onClick={onKeepMine}>
          Keep mine
        </button>
      </span>
    </div>
  );
}
