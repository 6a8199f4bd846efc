import { useId, useState, type ReactNode } from "react";

/** A text input that commits on Enter or blur; Escape reverts. Follows `value` when it changes outside. */
export function TextField({
  label,
  value,
  onCommit,
  placeholder,
  disabled,
  hint,
  testId,
  mono = false,
}: {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  placeholder?: string;
  disabled?: boolean;
  hint?: ReactNode;
  testId?: string;
  mono?: boolean;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    // The buffer changed (a commit, undo, reload): show it, keeping focus (no remount).
    setShown(value);
    setDraft(value);
  }
  const commit = () => {
    if (draft !== value) onCommit(draft);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className={mono ? "mono" : undefined}
        value={draft}
        placeholder={placeholder}
        disabled={disabled}
        data-testid={testId}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit();
          } else if (e.key === "Escape") {
            setDraft(value);
          }
        }}
      />
      {hint && <div className="field-hint">{hint}</div>}
    </div>
  );
}

export function SelectField({
  label,
  value,
  options,
  onChange,
  disabled,
  testId,
}: {
  label: string;
  value: string;
  options: { value: string; label?: string }[];
  onChange: (value: string) => void;
  disabled?: boolean;
  testId?: string;
}) {
  const id = useId();
  const known = options.some((o) => o.value === value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} disabled={disabled} data-testid={testId} onChange={(e) => onChange(e.target.value)}>
        {!known && <option value={value}>{value || "(not set)"}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label ?? o.value}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField({
  label,
  checked,
  onChange,
  disabled,
  testId,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  testId?: string;
}) {
  return (
    <label className="field-checkbox">
      <input type="checkbox" checked={checked} disabled={disabled} data-testid={testId} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}
