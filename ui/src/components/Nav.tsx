export type ScreenId =
  | "manifest"
  | "permissions"
  | "accounts"
  | "install"
  | "providers"
  | "api"
  | "secrets"
  | "signatures"
  | "qa"
  | "sandbox";

export const SCREENS: { id: ScreenId; label: string; ready: boolean; what: string }[] = [
  { id: "manifest", label: "Manifest", ready: true, what: "" },
  { id: "permissions", label: "Permissions", ready: true, what: "" },
  { id: "accounts", label: "Accounts", ready: true, what: "" },
  { id: "install", label: "Install", ready: true, what: "" },
  { id: "providers", label: "Providers", ready: true, what: "" },
  { id: "api", label: "API", ready: true, what: "" },
  { id: "secrets", label: "Secret Store", ready: true, what: "" },
  { id: "signatures", label: "Signatures", ready: true, what: "" },
  { id: "qa", label: "QA", ready: true, what: "" },
  { id: "sandbox", label: "Sandbox", ready: true, what: "" },
];

export function Nav({ active, onSelect }: { active: ScreenId; onSelect: (id: ScreenId) => void }) {
  return (
    <nav className="nav" aria-label="Screens">
      <div className="brand" aria-hidden="true">
        <span className="brand-mark">A</span> Appdeck
      </div>
      <ul>
        {SCREENS.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              className={`nav-item${active === s.id ? " active" : ""}${s.ready ? "" : " later"}`}
              aria-current={active === s.id ? "page" : undefined}
              data-testid={`nav-${s.id}`}
              onClick={() => onSelect(s.id)}
            >
              {s.label}
              {!s.ready && <span className="nav-soon">soon</span>}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
