import { ErrorBox } from "../../components/ErrorBox";
import { useRecordStatus, useSetRecording } from "./useQa";
import "./qa.css";

/**
 * The recorder's switch, shown on the Install and API screens: while on, each
 * install, refresh and API call made there is noted, to be saved as a flow on
 * the QA screen.
 */
export function RecordToggle() {
  const status = useRecordStatus();
  const set = useSetRecording();
  const on = status.data?.recording ?? false;
  return (
    <div className="record-toggle" data-testid="record-indicator" data-recording={on ? "on" : "off"}>
      <label className="field-checkbox">
        <input
          type="checkbox"
          checked={on}
          disabled={set.isPending || status.isError}
          onChange={(e) => set.mutate(e.target.checked)}
          data-testid="record-toggle"
        />
        <span className={on ? "record-dot record-on" : "record-dot"} aria-hidden="true" />
        Record as a QA flow
      </label>
      {on && (
        <span className="muted small" role="status" data-testid="record-steps">
          {status.data?.steps ?? 0} step{status.data?.steps === 1 ? "" : "s"} recorded; save them on the QA screen
        </span>
      )}
      {set.error && <ErrorBox error={set.error} title="Recording could not switch" compact />}
    </div>
  );
}
