import type { PermissionInfo } from "../../bindings/PermissionInfo";
import { TextField } from "../../components/fields";
import type { GrantedPermission } from "../../bindings/GrantedPermission";

export function GrantedList({
  granted,
  catalog,
  busy,
  onSetPurpose,
  onRevoke,
}: {
  granted: GrantedPermission[];
  catalog: Map<string, PermissionInfo>;
  busy: boolean;
  onSetPurpose: (permission: string, purpose: string) => void;
  onRevoke: (permission: string) => void;
}) {
  return (
    <section className="panel" aria-labelledby="granted-title">
      <header className="panel-head">
        <h2 id="granted-title">Granted permissions</h2>
        <span className="muted small">{granted.length}</span>
      </header>
      {granted.length === 0 ? (
        <p className="muted" data-testid="granted-empty">
          No permissions yet. Grant them from the catalog.
        </p>
      ) : (
        <ul className="granted-list">
          {granted.map((g, i) => {
            const info = catalog.get(g.permission);
            return (
              <li key={`${g.permission}-${i}`} className="granted-row" data-testid={`granted-${g.permission}`}>
                <div className="granted-head">
                  <code className="perm-name">{g.permission}</code>
                  {info ? (
                    <span className="muted small">
                      {info.access} · {info.resource}
                    </span>
                  ) : (
                    <span className="badge sev-error">not in catalog</span>
                  )}
                  <span className="spacer" />
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    disabled={busy}
                    onClick={() => onRevoke(g.permission)}
                    data-testid={`revoke-${g.permission}`}
                  >
                    Revoke
                  </button>
                </div>
                <TextField
                  label={g.purpose_is_map ? "Purpose (first locale; saving replaces the map)" : "Purpose"}
                  value={g.purpose}

                  placeholder="Why the app needs this permission"
                  testId={`purpose-${g.permission}`}
                  onCommit={(purpose) => onSetPurpose(g.permission, purpose)}
                />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
