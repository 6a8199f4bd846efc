import { useId, useState } from "react";
import type { ManifestEdit } from "../../bindings/ManifestEdit";
import type { ViewEntry } from "../../bindings/ViewEntry";
import { VIEWPORTS } from "../../lib/viewports";

export function ViewsEditor({
  views,
  disabled,
  onEdit,
}: {
  views: ViewEntry[];
  disabled: boolean;
  onEdit: (edit: ManifestEdit) => Promise<boolean>;
}) {
  const id = useId();
  const [viewport, setViewport] = useState("stripe.dashboard.customer.detail");
  const [component, setComponent] = useState("");
  const add = async () => {
    if (!component.trim()) return;
    if (await onEdit({ kind: "add-view", viewport, component: component.trim() })) setComponent("");
  };
  return (
    <div className="field" data-testid="views-editor">
      <span className="label">Views</span>
      {views.length === 0 ? (
        <p className="muted small">No views: a backend-only app.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Viewport</th>
              <th>Component</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {views.map((v) => (
              <tr key={`${v.viewport}/${v.component}`} data-testid="view-row">
                <td className="mono">{v.viewport}</td>
                <td className="mono">{v.component}</td>
                <td className="right">
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={disabled}
                    aria-label={`Remove view ${v.component} on ${v.viewport}`}
                    onClick={() => void onEdit({ kind: "remove-view", viewport: v.viewport, component: v.component })}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="inline-form">
        <label className="sr-only" htmlFor={`${id}-vp`}>
          Viewport
        </label>
        <select id={`${id}-vp`} value={viewport} disabled={disabled} onChange={(e) => setViewport(e.target.value)} data-testid="view-viewport">
          {VIEWPORTS.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor={`${id}-comp`}>
          Component
        </label>
        <input
          id={`${id}-comp`}
          className="mono"
          placeholder="Component (e.g. CustomerDetail)"
          value={component}
          disabled={disabled}
          data-testid="view-component"
          onChange={(e) => setComponent(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              void add();
            }
          }}
        />
        <button type="button" className="btn" disabled={disabled || !component.trim()} onClick={() => void add()} data-testid="view-add">
          Add view
        </button>
      </div>
    </div>
  );
}
