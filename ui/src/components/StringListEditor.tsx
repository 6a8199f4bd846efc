import { useId, useState } from "react";

/** A list of strings with remove buttons and an add row. Changes go to the caller (which calls the core). */
export function StringListEditor({
  label,
  items,
  onAdd,
  onRemove,
  placeholder,
  disabled,
  testId,
  emptyText = "None.",
}: {
  label: string;
  items: string[];
  /** Resolve false to keep the draft (the change was refused). */
  onAdd: (value: string) => Promise<boolean> | boolean;
  onRemove: (value: string) => void;
  placeholder?: string;
  disabled?: boolean;
  testId: string;
  emptyText?: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState("");
  const add = async () => {
    const value = draft.trim();
    if (!value || disabled) return;
    const ok = await onAdd(value);
    if (ok !== false) setDraft("");
  };
  return (
    <div className="field list-editor" data-testid={testId}>
      <label htmlFor={id}>{label}</label>
      {items.length === 0 ? (
        <p className="muted small">{emptyText}</p>
      ) : (
        <ul className="chip-list">
          {items.map((item) => (
            <li key={item} className="chip" data-testid={`${testId}-item`}>
              <code>{item}</code>
              <button
                type="button"
                className="btn-icon"
                aria-label={`Remove ${item}`}
                disabled={disabled}
                onClick={() => onRemove(item)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="inline-form">
        <input
          id={id}
          className="mono"
          value={draft}
          placeholder={placeholder}
          data-testid={`${testId}-input`}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              void add();
            }
          }}
        />
        <button type="button" className="btn" disabled={disabled || !draft.trim()} onClick={() => void add()} data-testid={`${testId}-add`}>
          Add
        </button>
      </div>
    </div>
  );
}
