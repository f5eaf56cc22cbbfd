import { useBalances } from '@/features/paper/api/get-balances';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { formatDecimal } from '@/shared/format/decimal';

export function BalancesTable({ accountId }: { accountId: number }) {
  const balances = useBalances(accountId);
  if (balances.isPending) return <Loading />;
  if (balances.error) return <ErrorMessage error={balances.error} />;
  if (balances.data.length === 0) return <EmptyState>No balances.</EmptyState>;
  return (
    <div className="overflow-x-auto">
    <table className="table-basic w-full text-sm" aria-label="Balances">
      <thead>
        <tr><th>Asset</th><th className="text-right">Free</th><th className="text-right">Locked</th><th className="text-right">Total</th></tr>
      </thead>
      <tbody>
        {balances.data.map((b) => (
          <tr key={b.asset}>
            <td>{b.asset}</td>
            <td className="text-right font-mono">{formatDecimal(b.free)}</td>
            <td className="text-right font-mono">{formatDecimal(b.locked)}</td>
            <td className="text-right font-mono">{formatDecimal(b.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
