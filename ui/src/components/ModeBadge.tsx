import type { Mode } from "../bindings/Mode";

const LABEL: Record<Mode, string> = { test: "test", live: "LIVE", local: "local" };

/** Test, local sandbox or live (red, loud: real money). */
export function ModeBadge({ mode, testId = "mode-badge" }: { mode: Mode; testId?: string }) {
  return (
    <span className={`badge mode-badge mode-${mode}`} data-testid={testId} data-mode={mode} title={mode === "live" ? "Live mode: real data and real money" : `${mode} mode`}>
      {LABEL[mode]}
    </span>
  );
}
