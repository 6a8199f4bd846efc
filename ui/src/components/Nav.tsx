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

export const SCREENS: { id: ScreenId; label: string }[] = [
  { id: "manifest", label: "Manifest" },
  { id: "permissions", label: "Permissions" },
  { id: "accounts", label: "Accounts" },
  { id: "install", label: "Install" },
  { id: "providers", label: "Providers" },
  { id: "api", label: "API" },
  { id: "secrets", label: "Secret Store" },
  { id: "signatures", label: "Signatures" },
  { id: "qa", label: "QA" },
  { id: "sandbox", label: "Sandbox" },
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
              className={`nav-item${active === s.id ? " active" : ""}`}
              aria-current={active === s.id ? "page" : undefined}
              data-testid={`nav-${s.id}`}
              onClick={() => onSelect(s.id)}
            >
              {s.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
