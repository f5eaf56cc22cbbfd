const PERCENT = new Set(['total_return', 'cagr', 'max_drawdown', 'win_rate', 'exposure', 'volatility', 'avg_trade_return', 'best_trade_return', 'worst_trade_return']);
export const SHOWN: [string, string][] = [
  ['total_return', 'Total return'],
  ['cagr', 'CAGR'],
  ['sharpe', 'Sharpe'],
  ['sortino', 'Sortino'],
  ['calmar', 'Calmar'],
  ['max_drawdown', 'Max drawdown'],
  ['volatility', 'Volatility'],
  ['win_rate', 'Win rate'],
  ['profit_factor', 'Profit factor'],
  ['expectancy', 'Expectancy'],
  ['trades', 'Trades'],
  ['exposure', 'Exposure'],
  ['best_trade_return', 'Best trade'],
  ['worst_trade_return', 'Worst trade'],
  ['final_equity_exact', 'Final equity'],
  ['bars', 'Bars'],
];

export function formatMetric(key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (PERCENT.has(key)) return `${(value * 100).toFixed(2)}%`;
    return Number.isInteger(value) ? String(value) : value.toFixed(3);
  }
  return String(value);
}

export function MetricsTable({ metrics }: { metrics: Record<string, unknown> }) {
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4" aria-label="Metrics">
      {SHOWN.filter(([key]) => key in metrics).map(([key, label]) => (
        <div key={key} className="flex justify-between border-b border-border py-1">
          <dt className="text-muted">{label}</dt>
          <dd className="font-mono">{formatMetric(key, metrics[key])}</dd>
        </div>
      ))}
    </dl>
  );
}
