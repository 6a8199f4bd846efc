import { useEffect, useMemo, useState, type KeyboardEvent } from "react";
import { VirtualList } from "../../components/VirtualList";
import { isContainer, keyOf, KIND_ARRAY, KIND_BOOL, KIND_NULL, KIND_NUMBER, KIND_STRING, valueOf, visibleRows, type JsonIndex } from "../../lib/jsonIndex";
import { afterPaint } from "../../lib/viewerStats";

export const ROW_HEIGHT = 20;
const SMALL = 2000;

/** Small documents open fully; big ones show the first two levels (a list's items, folded). */
function initialCollapsed(index: JsonIndex): Uint8Array {
  const out = new Uint8Array(index.count);
  if (index.count <= SMALL) return out;
  for (let i = 0; i < index.count; i++) if (isContainer(index, i) && (index.depth[i] as number) >= 2) out[i] = 1;
  return out;
}

const CLASS: Record<number, string> = { [KIND_STRING]: "jstr", [KIND_NUMBER]: "jnum", [KIND_BOOL]: "jbool", [KIND_NULL]: "jnull" };

/** A collapsible JSON tree over an index, virtualized: only visible rows are in the DOM. */
export function JsonTree({ index, height = 420, onPainted }: { index: JsonIndex; height?: number; onPainted?: () => void }) {
  const [collapsed, setCollapsed] = useState(() => initialCollapsed(index));
  const [selected, setSelected] = useState(0);
  const rows = useMemo(() => visibleRows(index, collapsed), [index, collapsed]);

  useEffect(() => (onPainted ? afterPaint(onPainted) : undefined), [onPainted]);

  const toggle = (node: number, to?: boolean) => {
    if (!isContainer(index, node)) return;
    setCollapsed((prev) => {
      const want = to === undefined ? !prev[node] : to;
      if (Boolean(prev[node]) === want) return prev;
      const next = new Uint8Array(prev);
      next[node] = want ? 1 : 0;
      return next;
    });
  };
  const setAll = (fold: boolean) => {
    const next = new Uint8Array(index.count);
    if (fold) for (let i = 1; i < index.count; i++) if (isContainer(index, i)) next[i] = 1;
    setCollapsed(next);
    setSelected(0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const node = rows[selected];
    if (node === undefined) return;
    let handled = true;
    if (e.key === "ArrowDown") setSelected(Math.min(rows.length - 1, selected + 1));
    else if (e.key === "ArrowUp") setSelected(Math.max(0, selected - 1));
    else if (e.key === "Home") setSelected(0);
    else if (e.key === "End") setSelected(rows.length - 1);
    else if (e.key === "PageDown") setSelected(Math.min(rows.length - 1, selected + Math.floor(height / ROW_HEIGHT)));
    else if (e.key === "PageUp") setSelected(Math.max(0, selected - Math.floor(height / ROW_HEIGHT)));
    else if (e.key === "ArrowRight") toggle(node, false);
    else if (e.key === "ArrowLeft") toggle(node, true);
    else if (e.key === "Enter" || e.key === " ") toggle(node);
    else handled = false;
    if (handled) e.preventDefault();
  };

  const renderRow = (r: number) => {
    const i = rows[r] as number;
    const depth = index.depth[i] as number;
    const kind = index.kind[i] as number;
    const container = kind === 0 || kind === KIND_ARRAY;
    const folded = Boolean(collapsed[i]);
    const key = i === 0 ? "" : keyOf(index, i);
    const parentIsArray = depth > 0 && /^\d+$/.test(key);
    const size = index.size[i] as number;
    return (
      <div
        className={`jrow${r === selected ? " selected" : ""}`}
        role="treeitem"
        aria-level={depth + 1}
        aria-expanded={container ? !folded : undefined}
        aria-selected={r === selected}
        data-testid="json-row"
        style={{ paddingLeft: 6 + depth * 14 }}
        onClick={() => setSelected(r)}
      >
        {container ? (
          <button type="button" tabIndex={-1} className="jtoggle" aria-label={folded ? "Expand" : "Collapse"} onClick={() => toggle(i)}>
            {folded ? "▸" : "▾"}
          </button>
        ) : (
          <span className="jtoggle" />
        )}
        {key !== "" && <span className={parentIsArray ? "jmeta" : "jkey"}>{parentIsArray ? `${key}:` : `"${key}":`}</span>}
        {container ? (
          <span className="jmeta">
            {kind === KIND_ARRAY ? `[${folded ? ` ${size} item${size === 1 ? "" : "s"} ` : ""}]` : `{${folded ? ` ${size} key${size === 1 ? "" : "s"} ` : ""}}`}
            {!folded && size > 0 && ` ${size}`}
          </span>
        ) : (
          <span className={CLASS[kind]}>{valueOf(index, i)}</span>
        )}
      </div>
    );
  };

  return (
    <div className="json-tree">
      <div className="form-actions small">
        <span className="muted" data-testid="json-node-count">
          {index.count.toLocaleString()} nodes · {rows.length.toLocaleString()} shown
        </span>
        <span className="spacer" />
        <button type="button" className="btn btn-small" onClick={() => setAll(false)}>
          Expand all
        </button>
        <button type="button" className="btn btn-small" onClick={() => setAll(true)}>
          Collapse all
        </button>
      </div>
      <VirtualList count={rows.length} rowHeight={ROW_HEIGHT} height={height} renderRow={renderRow} testId="json-tree" label="Response body" onKeyDown={onKeyDown} scrollToRow={selected} />
    </div>
  );
}
