import type { Version } from '@/features/publisher/api/get-listing-versions';

const LABELS: Record<string, string> = {
  validating: 'Validating',
  backtested: 'Backtesting',
  in_review: 'In review',
  published: 'Published',
  rejected: 'Rejected',
  yanked: 'Yanked',
};

const TONES: Record<string, string> = {
  validating: 'border-accent text-accent',
  backtested: 'border-accent text-accent',
  in_review: 'border-border text-fg',
  published: 'border-up text-up',
  rejected: 'border-down text-down',
  yanked: 'border-down text-down',
};

export function statusLabel(status: Version['status']): string {
  return LABELS[status ?? 'validating'] ?? String(status);
}

export function VersionStatusBadge({ status }: { status: Version['status'] }) {
  const s = status ?? 'validating';
  return (
    <span className={`inline-block whitespace-nowrap rounded-full border px-2 text-xs font-semibold ${TONES[s] ?? ''}`}>
      {statusLabel(s)}
    </span>
  );
}
