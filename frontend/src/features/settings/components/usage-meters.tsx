import type { QuotaUsage } from '@/features/settings/api/get-billing';

/** Share of the limit used, 0..1 (a zero limit that is used counts as full). */
export function usageShare(used: number, limit: number): number {
  if (limit <= 0) return used > 0 ? 1 : 0;
  return Math.min(used / limit, 1);
}

function barClass(share: number): string {
  if (share >= 1) return 'bg-down';
  if (share >= 0.8) return 'bg-yellow-500';
  return 'bg-accent';
}

/** One bar per tier limit: used against the limit, amber from 80 %, red when full. */
export function UsageMeters({ usage }: { usage: QuotaUsage[] }) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2" aria-label="Usage against your tier's limits">
      {usage.map((row) => {
        const metered = row.used !== null;
        const used = row.used ?? 0;
        const share = usageShare(used, row.limit);
        const id = `quota-${row.quota}`;
        return (
          <li key={row.quota} className="flex flex-col gap-1 text-sm">
            <div className="flex items-baseline justify-between gap-2">
              <span id={id}>{row.label}</span>
              <span className="mono text-xs text-muted">
                {metered ? `${used.toLocaleString()} / ${row.limit.toLocaleString()}` : `limit ${row.limit.toLocaleString()}`}
              </span>
            </div>
            {metered ? (
              <div role="meter" aria-labelledby={id} aria-valuemin={0} aria-valuemax={row.limit} aria-valuenow={used}
                aria-valuetext={`${used} of ${row.limit}`} className="h-2 overflow-hidden rounded bg-border">
                <div className={`h-full ${barClass(share)}`} style={{ width: `${(share * 100).toFixed(1)}%` }} />
              </div>
            ) : (
              <p className="text-xs text-muted">Not metered right now.</p>
            )}
            {metered && share >= 1 && <p className="text-xs text-down">Limit reached: upgrade or free some up.</p>}
          </li>
        );
      })}
    </ul>
  );
}
