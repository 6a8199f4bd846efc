import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

/**
 * A windowed list of fixed-height rows: only the rows in view (plus a few) are in the DOM,
 * whatever `count` is. Without layout (jsdom) it assumes `fallbackHeight`.
 */
export function VirtualList({
  count,
  rowHeight,
  height,
  renderRow,
  overscan = 8,
  testId,
  label,
  onKeyDown,
  scrollToRow,
}: {
  count: number;
  rowHeight: number;
  /** CSS height of the viewport in px. */
  height: number;
  renderRow: (index: number) => ReactNode;
  overscan?: number;
  testId?: string;
  label: string;
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
  /** Keeps this row in view when it changes (keyboard selection). */
  scrollToRow?: number | null;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(height);

  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(() => setViewport(el.clientHeight || height));
    ro.observe(el);
    return () => ro.disconnect();
  }, [height]);

  useEffect(() => {
    const el = ref.current;
    if (!el || scrollToRow === null || scrollToRow === undefined) return;
    const top = scrollToRow * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + (el.clientHeight || height)) el.scrollTop = top + rowHeight - (el.clientHeight || height);
  }, [scrollToRow, rowHeight, height]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div key={i} className="vrow" style={{ top: i * rowHeight, height: rowHeight }}>
        {renderRow(i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className="vlist"
      style={{ height }}
      tabIndex={0}
      role="tree"
      aria-label={label}
      data-testid={testId}
      data-rows={count}
      onKeyDown={onKeyDown}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div className="vlist-inner" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
