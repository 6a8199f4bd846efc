import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { DiffLine } from "../../bindings/DiffLine";
import { useBackend } from "../../api/context";
import { ErrorBox } from "../../components/ErrorBox";
import { Loading } from "../../components/States";

const CONTEXT = 3;

export type Row = { kind: "line"; line: DiffLine } | { kind: "skip"; count: number };

/**
 * Rows to show: the core sends changed lines with some context and leaves out the rest (its line
 * numbers jump there); a diff with every line is folded the same way here.
 */
export function fold(lines: DiffLine[]): Row[] {
  const changed = lines.map((l) => l.tag !== "equal");
  const near = (i: number) => {
    for (let k = Math.max(0, i - CONTEXT); k <= Math.min(lines.length - 1, i + CONTEXT); k++) if (changed[k]) return true;
    return false;
  };
  const rows: Row[] = [];
  const skip = (count: number) => {
    const last = rows[rows.length - 1];
    if (last?.kind === "skip") last.count += count;
    else rows.push({ kind: "skip", count });
  };
  let prevOld = 0;
  let prevNew = 0;
  lines.forEach((line, i) => {
    const gap = Math.max(line.old_line !== null ? line.old_line - prevOld - 1 : 0, line.new_line !== null ? line.new_line - prevNew - 1 : 0);
    if (gap > 0) skip(gap);
    if (line.old_line !== null) prevOld = line.old_line;
    if (line.new_line !== null) prevNew = line.new_line;
    if (near(i)) rows.push({ kind: "line", line });
    else skip(1);
  });
  return rows;
}

export function SaveDialog({
  oldText,
  newText,
  saving,
  error,
  onConfirm,
  onCancel,
}: {
  oldText: string;
  newText: string;
  saving: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const backend = useBackend();
  const diff = useQuery({
    queryKey: ["diff", oldText, newText],
    queryFn: () => backend.diffTexts(oldText, newText),
    gcTime: 0,
  });
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  const changes = diff.data?.filter((l) => l.tag !== "equal").length ?? 0;

  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === "Escape" && onCancel()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="save-title" data-testid="save-dialog">
        <header className="modal-head">
          <h2 id="save-title">Save changes?</h2>
          <span className="muted small">{diff.data ? `${changes} changed line${changes === 1 ? "" : "s"}` : ""}</span>
        </header>
        <div className="diff mono" data-testid="diff">
          {diff.isPending && <Loading label="Computing diff…" />}
          {diff.isError && <ErrorBox error={diff.error} title="Could not compute the diff" compact />}
          {diff.data && changes === 0 && <p className="muted">No changes to save.</p>}
          {diff.data &&
            changes > 0 &&
            fold(diff.data).map((row, i) =>
              row.kind === "skip" ? (
                <div key={i} className="diff-skip">
                  … {row.count} unchanged line{row.count === 1 ? "" : "s"}
                </div>
              ) : (
                <div key={i} className={`diff-line diff-${row.line.tag}`} data-tag={row.line.tag}>
                  <span className="diff-num">{row.line.old_line ?? ""}</span>
                  <span className="diff-num">{row.line.new_line ?? ""}</span>
                  <span className="diff-mark">{row.line.tag === "insert" ? "+" : row.line.tag === "delete" ? "−" : " "}</span>
                  <span className="diff-text">{row.line.text}</span>
                </div>
              ),
            )}
        </div>
        {error !== null && error !== undefined && <ErrorBox error={error} title="Save failed" />}
        <footer className="modal-actions">
          <button type="button" className="btn" ref={cancelRef} onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="confirm-save"
            disabled={saving || !diff.data || changes === 0}
            onClick={onConfirm}
          >
            {saving ? "Saving…" : "Confirm save"}
          </button>
        </footer>
      </div>
    </div>
  );
}
