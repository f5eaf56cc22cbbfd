import { EmptyState } from '@/shared/components/loading';
import { formatDecimal, signClass } from '@/shared/format/decimal';

export type BacktestTrade = {
  direction: string;
  entry_time: string;
  exit_time: string;
  entry_price: string;
  exit_price: string;
  qty: string;
  pnl: string;
  fees: string;
  return: number;
};

const PAGE = 50;

export function TradesTable({ trades, total, truncated, page, onPage }: {
  trades: BacktestTrade[];
  total: number | null;
  truncated: boolean;
  page: number;
  onPage: (page: number) => void;
}) {
  if (trades.length === 0) return <EmptyState>The strategy made no trades in this range.</EmptyState>;
  const pages = Math.ceil(trades.length / PAGE);
  const shown = trades.slice(page * PAGE, (page + 1) * PAGE);
  return (
    <div className="flex flex-col gap-2">
      <div className="overflow-x-auto">
        <table className="table-basic w-full text-sm" aria-label="Trades">
          <thead>
            <tr><th>Direction</th><th>Entry</th><th>Exit</th><th className="text-right">Entry price</th><th className="text-right">Exit price</th><th className="text-right">Qty</th><th className="text-right">P&amp;L</th><th className="text-right">Return</th><th className="text-right">Fees</th></tr>
          </thead>
          <tbody>
            {shown.map((t) => (
              <tr key={`${t.entry_time}-${t.exit_time}-${t.direction}`}>
                <td className={t.direction === 'long' ? 'text-up' : 'text-down'}>{t.direction}</td>
                <td className="text-xs">{t.entry_time.replace('T', ' ').replace('Z', '')}</td>
                <td className="text-xs">{t.exit_time.replace('T', ' ').replace('Z', '')}</td>
                <td className="text-right font-mono">{formatDecimal(t.entry_price)}</td>
                <td className="text-right font-mono">{formatDecimal(t.exit_price)}</td>
                <td className="text-right font-mono">{formatDecimal(t.qty)}</td>
                <td className={`text-right font-mono ${signClass(t.pnl)}`}>{formatDecimal(t.pnl, 2)}</td>
                <td className={`text-right font-mono ${signClass(t.return)}`}>{(t.return * 100).toFixed(2)}%</td>
                <td className="text-right font-mono">{formatDecimal(t.fees, 2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex items-center gap-2 text-xs text-muted">
        <button type="button" className="btn" disabled={page === 0} onClick={() => onPage(page - 1)}>Previous</button>
        <span>Page {page + 1} of {pages} · {total ?? trades.length} trades{truncated && ' (first 5,000 shown)'}</span>
        <button type="button" className="btn" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>Next</button>
      </div>
    </div>
  );
}
