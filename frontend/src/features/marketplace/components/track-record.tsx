import { useState } from 'react';

import type { SampleRecord, TrackRecord } from '@/features/marketplace/api/get-listing';
import { formatDate, formatDrawdown, formatRatio, formatReturn } from '@/features/marketplace/components/format';
import { EquityDrawdownChart } from '@/shared/charts/equity-drawdown-chart';
import { EmptyState } from '@/shared/components/loading';
import { signClass } from '@/shared/format/decimal';

type Side = 'in_sample' | 'out_of_sample';
type Metric = [key: string, label: string, format: (value: number) => string, signed?: boolean];

const METRICS: Metric[] = [
  ['total_return', 'Return', formatReturn, true],
  ['sharpe', 'Sharpe', formatRatio],
  ['max_drawdown', 'Max drawdown', formatDrawdown],
  ['win_rate', 'Win rate', (v) => `${(v * 100).toFixed(1)}%`],
  ['trades', 'Trades', (v) => String(v)],
  ['profit_factor', 'Profit factor', formatRatio],
  ['final_equity', 'Final equity', (v) => v.toLocaleString('en-US', { maximumFractionDigits: 2 })],
];

function Metrics({ metrics }: { metrics: SampleRecord['metrics'] }) {
  const values = (metrics ?? {}) as { [key: string]: unknown };
  const shown = METRICS.filter(([key]) => typeof values[key] === 'number');
  if (shown.length === 0) return null;
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4" aria-label="Track record metrics">
      {shown.map(([key, label, format, signed]) => {
        const value = values[key] as number;
        return (
          <div key={key} className="flex justify-between border-b border-border py-1">
            <dt className="text-muted">{label}</dt>
            <dd className={`font-mono ${signed ? signClass(value) : ''}`}>{format(value)}</dd>
          </div>
        );
      })}
    </dl>
  );
}

function describe(side: Side, record: SampleRecord): string {
  if (side === 'in_sample') {
    const data = (record.data_set ?? {}) as { [key: string]: unknown };
    return `Platform backtest, hypothetical: ${String(data.bars ?? '?')} simulated ${String(data.interval ?? '')} ${String(data.symbol ?? '')} bars (${String(data.exchange ?? 'sim')}, seed ${String(data.seed ?? '?')}), default parameters.`;
  }
  const market = (record.market ?? {}) as { [key: string]: unknown };
  return `Live paper trading since ${formatDate(record.since)} on ${String(market.exchange ?? '')} ${String(market.symbol ?? '')} ${String(market.interval ?? '')} bars: ${record.samples ?? 0} equity samples (${record.status ?? 'unknown'}).`;
}

/** The platform-verified record of the latest version: its backtest (in-sample) and live paper record (out-of-sample). */
export function TrackRecordPanel({ record }: { record: TrackRecord }) {
  const [side, setSide] = useState<Side>('in_sample');
  const shown: SampleRecord = (side === 'in_sample' ? record.in_sample : record.out_of_sample) ?? {};
  const equity = shown.equity ?? [];
  const tabs: [Side, string][] = [
    ['in_sample', 'Backtest (in-sample)'],
    ['out_of_sample', 'Live paper (out-of-sample)'],
  ];

  return (
    <section className="card flex flex-col gap-3" aria-label="Verified track record">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-semibold">Verified track record</h3>
        <span className="text-xs text-muted">
          Computed by the platform{record.version ? ` for version ${record.version}` : ''}, not the author
          {record.author_runs_this_version ? ' · the author runs this version on its own account' : ''}
        </span>
      </div>
      <div role="tablist" aria-label="Track record" className="flex gap-2 text-sm">
        {tabs.map(([value, label]) => (
          <button key={value} type="button" role="tab" aria-selected={side === value}
            className={side === value ? 'btn border-accent' : 'btn'} onClick={() => setSide(value)}>
            {label}
          </button>
        ))}
      </div>
      {shown.kind === undefined || shown.status === 'not_available' ? (
        <EmptyState>{shown.reason ?? 'No record for this side yet.'}</EmptyState>
      ) : (
        <>
          <p className="text-sm text-muted">{describe(side, shown)}</p>
          <Metrics metrics={shown.metrics} />
          {equity.length >= 2 ? (
            <EquityDrawdownChart equity={equity} drawdown={shown.drawdown ?? []} testId="track-record-chart"
              label={side === 'in_sample' ? 'Backtest equity and drawdown' : 'Live paper equity and drawdown'} />
          ) : (
            <EmptyState>
              Collecting: the platform samples the reference account&apos;s equity as it trades; the chart appears with
              the second sample.
            </EmptyState>
          )}
          {shown.method && (
            <details className="text-xs text-muted">
              <summary className="cursor-pointer">How this is computed</summary>
              <p className="mt-1">{shown.method}</p>
            </details>
          )}
        </>
      )}
    </section>
  );
}
