import { useState } from "react";
import type { Diagnostic } from "../../bindings/Diagnostic";
import type { PermissionRequest } from "../../bindings/PermissionRequest";
import type { VersionComparison } from "../../bindings/VersionComparison";
import { useBackend } from "../../api/context";
import { toAppError } from "../../api/errors";
import { useReleaseCheck } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";
import { Loading } from "../../components/States";
import { ProblemButton } from "./ProblemButton";

const ORDER = { error: 0, warning: 1, info: 2 } as const;

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * The release check: what `stripe apps upload` or app review would refuse in the editor's text
 * (`appdeck manifest validate --release`), and, against the manifest of the version last uploaded,
 * the version step and the permissions installers will be asked to approve. Every rule is core's.
 */
export function ReleaseCheck({ path, text, onSelect }: { path: string; text: string; onSelect: (d: Diagnostic) => void }) {
  const backend = useBackend();
  const [previous, setPrevious] = useState<string | null>(null);
  const [pickError, setPickError] = useState<unknown>(null);
  const check = useReleaseCheck(path, text, previous);

  const pickPrevious = async () => {
    setPickError(null);
    try {
      const picked = await backend.openDialog({ directory: false });
      if (picked !== null) setPrevious(picked);
    } catch (e) {
      setPickError(toAppError(e));
    }
  };

  const report = check.data;
  const diagnostics = report ? [...report.diagnostics].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.line - b.line || a.column - b.column) : [];
  const errors = diagnostics.filter((d) => d.severity === "error").length;

  return (
    <section className="panel release-check" aria-labelledby="release-title" data-testid="release-check">
      <header className="panel-head">
        <h2 id="release-title">Release check</h2>
        <span className="muted small">What upload and app review refuse, for the version you send to review</span>
      </header>
      <div className="toolbar" role="toolbar" aria-label="Previous version">
        <span className="small" data-testid="release-previous">
          {previous ? (
            <>
              Compared with <code>{fileName(previous)}</code> <span className="muted mono">{previous}</span>
            </>
          ) : (
            <span className="muted">Not compared with a previous version</span>
          )}
        </span>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => void pickPrevious()} data-testid="release-pick-previous">
          {previous ? "Choose another…" : "Compare with the last uploaded manifest…"}
        </button>
        {previous && (
          <button type="button" className="btn" onClick={() => setPrevious(null)} data-testid="release-clear-previous">
            Clear
          </button>
        )}
      </div>
      {pickError !== null && <ErrorBox error={pickError} title="Could not open the file picker" compact />}
      {check.isError ? (
        <ErrorBox error={check.error} title="The release check failed" onRetry={() => void check.refetch()} />
      ) : !report ? (
        <Loading label="Checking the release…" />
      ) : (
        <>
          <p className={errors > 0 ? "release-verdict sev-error" : "release-verdict"} role="status" data-testid="release-verdict">
            {errors > 0
              ? `${errors} release error${errors === 1 ? "" : "s"}: upload or review would refuse this version.`
              : "Ready for review: nothing here that upload or app review refuses."}
            {check.isFetching ? " · checking…" : ""}
          </p>
          {diagnostics.length === 0 ? (
            <p className="muted problems-empty" data-testid="release-empty">
              No release problems found.
            </p>
          ) : (
            <ul className="problems-list" data-testid="release-list">
              {diagnostics.map((d, i) => (
                <li key={`${d.start}-${d.code}-${i}`} data-testid="release-problem" data-code={d.code} data-severity={d.severity}>
                  <ProblemButton d={d} onSelect={onSelect} />
                </li>
              ))}
            </ul>
          )}
          {report.comparison && <Comparison comparison={report.comparison} />}
        </>
      )}
    </section>
  );
}

function Requests({ list, testId }: { list: PermissionRequest[]; testId: string }) {
  return (
    <ul className="release-perms" data-testid={testId}>
      {list.map((r) => (
        <li key={r.permission}>
          <code className="perm-name">{r.permission}</code>
          {r.purpose !== null && <span className="muted"> — {r.purpose}</span>}
        </li>
      ))}
    </ul>
  );
}

function Comparison({ comparison: c }: { comparison: VersionComparison }) {
  return (
    <div className="release-diff" data-testid="release-diff">
      <h3>
        Version <code>{c.previous_version ?? "(none)"}</code> → <code>{c.version ?? "(none)"}</code>
        <span className="muted small"> ({c.ordering})</span>
      </h3>
      {!c.reauthorization ? (
        <p className="muted" data-testid="release-perms-unchanged">
          Permissions unchanged: installed users are not asked to approve anything again.
        </p>
      ) : (
        <>
          {c.added.length > 0 && (
            <>
              <h4>Installers will be asked to approve</h4>
              <Requests list={c.added} testId="release-added" />
            </>
          )}
          {c.removed.length > 0 && (
            <>
              <h4>No longer requested</h4>
              <Requests list={c.removed} testId="release-removed" />
            </>
          )}
          <p className="small">Installed users are prompted to re-authorize the app, because its permissions change.</p>
        </>
      )}
    </div>
  );
}
