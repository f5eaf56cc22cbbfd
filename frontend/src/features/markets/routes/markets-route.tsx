import { useMarketsList } from '@/features/markets/api/use-markets-list';
import { TickerTable } from '@/features/markets/components/ticker-table';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';

export function MarketsRoute() {
  const { rows, isPending, error } = useMarketsList();
  return (
    <section className="flex flex-col gap-3">
      <h2 className="text-xl font-semibold">Markets</h2>
      <ErrorMessage error={error} />
      {isPending && <Loading />}
      {!isPending && rows.length === 0 && <EmptyState>No instruments are configured on this platform.</EmptyState>}
      {rows.length > 0 && <TickerTable rows={rows} />}
    </section>
  );
}

export default MarketsRoute;
