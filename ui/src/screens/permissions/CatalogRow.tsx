import type { PermissionInfo } from "../../bindings/PermissionInfo";
import { GrantForm } from "./GrantForm";

export function CatalogRow({
  info,
  granted,
  open,
  busy,
  onOpen,
  onClose,
  onGrant,
}: {
  info: PermissionInfo;
  granted: boolean;
  open: boolean;
  busy: boolean;
  onOpen: () => void;
  onClose: () => void;
  onGrant: (purpose: string) => void;
}) {
  return (
    <li className="catalog-row" data-testid={`catalog-row-${info.permission}`}>
      <div className="catalog-main">
        <div className="catalog-title">
          <code className="perm-name">{info.permission}</code>
          <span className={`badge access-${info.access}`}>{info.access}</span>
          {info.kind !== "object" && <span className="badge badge-muted">{info.kind}</span>}
        </div>
        <div className="catalog-meta muted small">
          {info.resource} · {info.category}
        </div>
        <p className="catalog-desc">{info.description}</p>
        {info.implies.length > 0 && (
          <p className="small">
            Implies: {info.implies.map((p) => <code key={p} className="tag">{p}</code>)}
          </p>
        )}
        {info.notes && <p className="small muted">{info.notes}</p>}
        {info.refusal !== null && (
          <p className="small" data-testid={`refusal-${info.permission}`}>
            <code>stripe apps upload</code> refuses a manifest that requests it: “{info.refusal}”
          </p>
        )}
        {info.events.length > 0 && (
          <details className="catalog-events">
            <summary>
              Unlocks {info.events.length} event{info.events.length === 1 ? "" : "s"}
            </summary>
            <ul className="tag-list">
              {info.events.map((e) => (
                <li key={e}>
                  <code className="tag">{e}</code>
                </li>
              ))}
            </ul>
          </details>
        )}
        {open && <GrantForm permission={info.permission} busy={busy} onGrant={onGrant} onCancel={onClose} />}
      </div>
      <div className="catalog-action">
        {granted ? (
          <span className="badge badge-ok">Granted</span>
        ) : !info.grantable ? (
          <span className="badge badge-muted" data-testid={`not-grantable-${info.permission}`}>
            Not grantable
          </span>
        ) : (
          !open && (
            <button type="button" className="btn" disabled={busy} onClick={onOpen} data-testid={`grant-${info.permission}`}>
              Grant…
            </button>
          )
        )}
      </div>
    </li>
  );
}
