import { EmptyState } from "../../components/States";

export function ComingSoon({ title, what }: { title: string; what: string }) {
  return (
    <EmptyState title={title}>
      <p className="muted">{what}</p>
      <p className="badge badge-muted" data-testid="coming-soon">
        Coming in a later release
      </p>
    </EmptyState>
  );
}
