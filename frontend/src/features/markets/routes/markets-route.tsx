import { useMemo, useState } from 'react';

import { useLivePrices } from '@/features/markets/api/use-live-prices';
import { useMarketsList, withLivePrice } from '@/features/markets/api/use-markets-list';
import { TickerTable } from '@/features/markets/components/ticker-table';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';

export const MARKETS_PAGE = 50;

export function MarketsRoute() {
  const { rows, isPending, error } = useMarketsList();
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(0);
  const filtered = useMemo(() => {
    const q = query.trim().toUpperCase();
    return q ? rows.filter((r) => r.symbol.toUpperCase().includes(q) || r.exchange.toUpperCase().includes(q)) : rows;
  }, [rows, query]);
  const pages = Math.max(1, Math.ceil(filtered.length / MARKETS_PAGE));
  const current = Math.min(page, pages - 1);
  const visible = useMemo(() => filtered.slice(current * MARKETS_PAGE, (current + 1) * MARKETS_PAGE), [filtered, current]);
  // Only the markets on screen are subscribed to.
  const live = useLivePrices(visible);
  const shown = useMemo(() => visible.map((r) => withLivePrice(r, live.get(`${r.exchange}:${r.symbol}`))), [visible, live]);

  return (
    <section className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">Markets</h2>
        <input className="input w-60" type="search" placeholder="Search symbol or exchange" aria-label="Search markets"
          value={query} onChange={(e) => { setQuery(e.target.value); setPage(0); }} />
      </div>
      <ErrorMessage error={error} />
      {isPending && <Loading />}
      {!isPending && rows.length === 0 && <EmptyState>No instruments are configured on this platform.</EmptyState>}
      {rows.length > 0 && filtered.length === 0 && <EmptyState>No market matches “{query}”. Clear the search to see all {rows.length}.</EmptyState>}
      {shown.length > 0 && <TickerTable rows={shown} />}
      {pages > 1 && (
        <nav className="flex items-center gap-2 text-xs" aria-label="Market pages">
          <button type="button" className="btn" disabled={current === 0} onClick={() => setPage(current - 1)}>Previous</button>
          <span className="text-muted">page {current + 1} of {pages} · {filtered.length} markets</span>
          <button type="button" className="btn" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>Next</button>
        </nav>
      )}
    </section>
  );
}

export default MarketsRoute;
