import { Link } from 'react-router';

import type { MarketRow } from '@/features/markets/api/use-markets-list';
import { formatDecimal, formatPercent, signClass } from '@/shared/format/decimal';

export function TickerTable({ rows }: { rows: MarketRow[] }) {
  return (
    <div className="card overflow-x-auto p-0">
      <table className="table-basic w-full text-sm" aria-label="Markets">
        <thead>
          <tr>
            <th>Instrument</th>
            <th>Exchange</th>
            <th className="text-right">Last</th>
            <th className="text-right">24h change</th>
            <th className="text-right">24h high</th>
            <th className="text-right">24h low</th>
            <th className="text-right">24h volume</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.exchange}:${row.symbol}`}>
              <td>
                <Link to={`/markets/${row.exchange}/${row.symbol}`} className="font-medium">
                  {row.symbol}
                </Link>
              </td>
              <td className="text-muted">{row.exchange}</td>
              <td className="text-right font-mono">{formatDecimal(row.ticker?.last_price)}</td>
              <td className={`text-right font-mono ${signClass(row.ticker?.price_change_percent)}`}>
                {formatPercent(row.ticker?.price_change_percent)}
              </td>
              <td className="text-right font-mono">{formatDecimal(row.ticker?.high)}</td>
              <td className="text-right font-mono">{formatDecimal(row.ticker?.low)}</td>
              <td className="text-right font-mono">{formatDecimal(row.ticker?.volume, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
