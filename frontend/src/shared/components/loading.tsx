export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="text-sm text-muted" role="status">
      {label}
    </p>
  );
}

export function EmptyState({ children }: { children: React.ReactNode }) {
  return <p className="rounded border border-dashed border-border p-4 text-sm text-muted">{children}</p>;
}
