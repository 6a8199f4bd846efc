import { useId, useMemo, useState } from "react";
import type { PermissionInfo } from "../../bindings/PermissionInfo";
import { CatalogRow } from "./CatalogRow";

export function matches(info: PermissionInfo, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = [info.permission, info.resource, info.category, info.description, info.access].join(" ").toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export function Catalog({
  catalog,
  granted,
  busy,
  onGrant,
}: {
  catalog: PermissionInfo[];
  granted: Set<string>;
  busy: boolean;
  onGrant: (permission: string, purpose: string) => Promise<boolean>;
}) {
  const id = useId();
  const [query, setQuery] = useState("");
  const [showSchemaOnly, setShowSchemaOnly] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const hidden = catalog.filter((p) => p.kind === "schema-enum-only").length;
  const rows = useMemo(
    () => catalog.filter((p) => (showSchemaOnly || p.kind !== "schema-enum-only") && matches(p, query)),
    [catalog, query, showSchemaOnly],
  );
  return (
    <section className="panel catalog" aria-labelledby={`${id}-title`}>
      <header className="panel-head">
        <h2 id={`${id}-title`}>Permission catalog</h2>
        <span className="muted small" data-testid="catalog-count">
          {rows.length} of {catalog.length}
        </span>
      </header>
      <div className="catalog-filters">
        <label htmlFor={`${id}-q`} className="sr-only">
          Search permissions
        </label>
        <input
          id={`${id}-q`}
          type="search"
          placeholder="Search by name, resource, category or description"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="permission-search"
        />
        <label className="field-checkbox small">
          <input type="checkbox" checked={showSchemaOnly} onChange={(e) => setShowSchemaOnly(e.target.checked)} data-testid="show-schema-only" />
          Show schema-only names ({hidden})
        </label>
      </div>
      {rows.length === 0 ? (
        <p className="muted catalog-empty" data-testid="catalog-empty">
          No permission matches “{query}”.
        </p>
      ) : (
        <ul className="catalog-list">
          {rows.map((info) => (
            <CatalogRow
              key={info.permission}
              info={info}
              granted={granted.has(info.permission)}
              open={open === info.permission}
              busy={busy}
              onOpen={() => setOpen(info.permission)}
              onClose={() => setOpen(null)}
              onGrant={(purpose) =>
                void onGrant(info.permission, purpose).then((ok) => {
                  if (ok) setOpen(null);
                })
              }
            />
          ))}
        </ul>
      )}
    </section>
  );
}
