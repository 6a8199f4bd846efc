import { useEffect, useRef, useState, type ReactNode } from "react";
import type { ProjectInfo } from "../bindings/ProjectInfo";
import { useRecentProjects } from "../api/queries";

function Menu({
  label,
  testId,
  children,
}: {
  label: string;
  testId: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);
  return (
    <div
      className="menu"
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === "Escape") setOpen(false);
      }}
    >
      <button type="button" className="btn" aria-haspopup="menu" aria-expanded={open} data-testid={testId} onClick={() => setOpen((o) => !o)}>
        {label} ▾
      </button>
      {open && (
        <div className="menu-popup" role="menu">
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}

export function Header({
  project,
  opening,
  onOpenPath,
  onOpenDialog,
}: {
  project: ProjectInfo | null;
  opening: boolean;
  onOpenPath: (path: string) => void;
  onOpenDialog: (directory: boolean) => void;
}) {
  const recent = useRecentProjects();
  return (
    <header className="header">
      <div className="header-project">
        <span className="muted small">Project</span>
        <span className="project-path mono" data-testid="project-path" title={project?.manifest_path}>
          {project ? project.manifest_path : "No project open"}
        </span>
      </div>
      <div className="header-actions">
        <Menu label="Recent" testId="recent-menu">
          {(close) =>
            recent.isPending ? (
              <div className="menu-note">Loading…</div>
            ) : recent.isError ? (
              <div className="menu-note" data-code={recent.error.code}>
                <code>{recent.error.code}</code> {recent.error.message}
              </div>
            ) : recent.data.length === 0 ? (
              <div className="menu-note">No recent projects.</div>
            ) : (
              recent.data.map((p) => (
                <button
                  key={p}
                  type="button"
                  role="menuitem"
                  className="menu-item mono"
                  data-testid="recent-item"
                  onClick={() => {
                    close();
                    onOpenPath(p);
                  }}
                >
                  {p}
                </button>
              ))
            )
          }
        </Menu>
        <Menu label={opening ? "Opening…" : "Open…"} testId="open-menu">
          {(close) => (
            <>
              <button type="button" role="menuitem" className="menu-item" data-testid="open-folder" onClick={() => { close(); onOpenDialog(true); }}>
                Folder…
              </button>
              <button type="button" role="menuitem" className="menu-item" data-testid="open-file" onClick={() => { close(); onOpenDialog(false); }}>
                stripe-app.json file…
              </button>
            </>
          )}
        </Menu>
      </div>
    </header>
  );
}
