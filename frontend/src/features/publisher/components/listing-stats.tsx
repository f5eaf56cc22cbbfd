import { useListingStats } from '@/features/publisher/api/get-listing-stats';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';

const STATUSES: [string, string][] = [
  ['active', 'Active'],
  ['past_due', 'Past due'],
  ['pending', 'Checkout pending'],
  ['lapsed', 'Lapsed'],
  ['cancelled', 'Cancelled'],
];

function money(cents: number, currency: string): string {
  return (cents / 100).toLocaleString('en-US', { style: 'currency', currency: currency.toUpperCase() });
}

/** Subscribers by status and revenue from paid invoices (gross and your share after the platform fee). */
export function ListingStatsPanel({ listingId, free }: { listingId: number; free: boolean }) {
  const stats = useListingStats(listingId);
  if (stats.isPending) return <Loading label="Loading subscribers…" />;
  if (!stats.data) return <ErrorMessage error={stats.error} />;
  const s = stats.data;
  return (
    <div className="flex flex-col gap-3 text-sm">
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-5" aria-label="Subscribers by status">
        {STATUSES.map(([key, label]) => (
          <div key={key} className="rounded border border-border p-2">
            <dt className="text-xs text-muted">{label}</dt>
            <dd className="font-mono text-lg">{s.subscribers[key] ?? 0}</dd>
          </div>
        ))}
      </dl>
      {s.revenue.length > 0 ? (
        <div className="overflow-x-auto">
          <table className="table-basic w-full" aria-label="Revenue">
            <thead><tr><th>Currency</th><th className="!text-right">Gross</th><th className="!text-right">Your share</th><th className="!text-right">Paid invoices</th></tr></thead>
            <tbody>
              {s.revenue.map((r) => (
                <tr key={r.currency}>
                  <td className="uppercase">{r.currency}</td>
                  <td className="text-right font-mono">{money(r.gross_cents, r.currency)}</td>
                  <td className="text-right font-mono">{money(r.publisher_cents, r.currency)}</td>
                  <td className="text-right font-mono">{r.paid_invoices}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {s.monthly.length > 0 && (
            <table className="table-basic mt-2 w-full" aria-label="Revenue by month">
              <thead><tr><th>Month</th><th className="!text-right">Gross</th><th className="!text-right">Your share</th><th className="!text-right">Invoices</th></tr></thead>
              <tbody>
                {s.monthly.map((m) => (
                  <tr key={`${m.month}-${m.currency}`}>
                    <td className="font-mono">{m.month}</td>
                    <td className="text-right font-mono">{money(m.gross_cents, m.currency)}</td>
                    <td className="text-right font-mono">{money(m.publisher_cents, m.currency)}</td>
                    <td className="text-right font-mono">{m.invoices}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ) : (
        <p className="text-muted">
          {free
            ? 'A free listing earns no revenue; set a monthly price to charge subscribers.'
            : s.billing_enabled
              ? 'No paid invoices yet: revenue appears here as subscribers pay.'
              : 'No revenue: billing is disabled on this installation, so nobody can pay for a listing here.'}
        </p>
      )}
      {s.failed_invoices > 0 && <p className="text-xs text-down">{s.failed_invoices} invoice(s) failed to be paid.</p>}
    </div>
  );
}
