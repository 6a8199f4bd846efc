import { useId, useState } from "react";
import { useApiEndpoints } from "../../api/queries";

/** The path, with suggestions from the endpoint catalog (arrow keys, Enter to pick, Escape to close). */
export function PathInput({ method, value, onChange, onSubmit }: { method: string; value: string; onChange: (v: string) => void; onSubmit: () => void }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const prefix = value.split("?")[0] ?? "";
  const endpoints = useApiEndpoints(method, prefix);
  const options = (endpoints.data ?? []).filter((e) => e.path !== prefix).slice(0, 12);
  const show = open && options.length > 0;
  const pick = (path: string) => {
    onChange(path);
    setOpen(false);
  };
  return (
    <div className="path-input">
      <label htmlFor={id} className="sr-only">
        Path
      </label>
      <input
        id={id}
        className="mono"
        value={value}
        role="combobox"
        aria-expanded={show}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={show ? `${id}-opt-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder="/v1/customers"
        data-testid="api-path"
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 120)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && show) {
            e.preventDefault();
            setActive((a) => Math.min(options.length - 1, a + 1));
          } else if (e.key === "ArrowUp" && show) {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === "Enter") {
            e.preventDefault();
            const chosen = options[active];
            if (show && chosen) pick(chosen.path);
            else onSubmit();
          } else if (e.key === "Escape") setOpen(false);
        }}
      />
      {show && (
        <ul className="suggestions" role="listbox" id={`${id}-list`} data-testid="api-path-suggestions">
          {options.map((e, i) => (
            <li
              key={`${e.method} ${e.path}`}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "active" : undefined}
              onMouseDown={(ev) => {
                ev.preventDefault();
                pick(e.path);
              }}
            >
              <span className="mono">{e.path}</span> <span className="muted small">{e.description}</span>
              {e.permission && <span className="tag small">{e.permission}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
