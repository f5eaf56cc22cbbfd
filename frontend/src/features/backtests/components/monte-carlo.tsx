import { useEffect } from 'react';

import { themeColors } from '@/shared/charts/echarts';
import { useEChart } from '@/shared/charts/use-echart';
import { EmptyState } from '@/shared/components/loading';
import { formatDecimal } from '@/shared/format/decimal';

type Histogram = { edges: number[]; counts: number[] };
export type MonteCarlo = {
  simulations: number;
  trades_per_path?: number;
  final_equity?: Record<string, number>;
  max_drawdown?: Record<string, number>;
  probability_of_loss?: number;
  final_equity_histogram?: Histogram;
  max_drawdown_histogram?: Histogram;
  error?: string;
};

const PERCENTILES = ['5', '25', '50', '75', '95'];

/** Bar midpoints and counts; the label of each bar is its range. */
export function histogramBars(h: Histogram, format: (v: number) => string) {
  return h.counts.map((count, i) => ({
    label: `${format(h.edges[i] ?? 0)} – ${format(h.edges[i + 1] ?? 0)}`,
    count,
  }));
}

function HistogramChart({ histogram, format, label, color }: { histogram: Histogram; format: (v: number) => string; label: string; color: 'accent' | 'down' }) {
  const { containerRef, chart, theme } = useEChart();
  useEffect(() => {
    if (!chart) return;
    const colors = themeColors();
    const bars = histogramBars(histogram, format);
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', formatter: (items: { name: string; value: number }[]) => `${items[0]?.name}<br/>${items[0]?.value} runs` },
      grid: { left: 50, right: 10, top: 10, bottom: 40 },
      xAxis: { type: 'category', data: bars.map((b) => b.label), axisLabel: { color: colors.muted, formatter: (v: string) => v.split(' – ')[0] ?? v, hideOverlap: true } },
      yAxis: { type: 'value', axisLabel: { color: colors.muted }, splitLine: { lineStyle: { color: colors.border, opacity: 0.4 } } },
      series: [{ name: label, type: 'bar', barCategoryGap: '5%', data: bars.map((b) => b.count), itemStyle: { color: colors[color] } }],
    });
  }, [chart, histogram, format, label, color, theme]);
  return <div ref={containerRef} className="h-56 w-full" role="img" aria-label={label} />;
}

const money = (v: number) => formatDecimal(v.toFixed(2), 0);
const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The distribution of outcomes when the run's trades are drawn again in random order. */
export function MonteCarloSection({ monteCarlo, cash }: { monteCarlo: MonteCarlo | null | undefined; cash: number }) {
  if (!monteCarlo) return <EmptyState>No Monte Carlo analysis for this run: set “Monte Carlo runs” above 0 in the form to get one.</EmptyState>;
  if (monteCarlo.error) return <EmptyState>Monte Carlo analysis not possible: {monteCarlo.error}.</EmptyState>;
  const equity = monteCarlo.final_equity ?? {};
  const drawdown = monteCarlo.max_drawdown ?? {};
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-muted">
        {monteCarlo.simulations.toLocaleString()} resamples of {monteCarlo.trades_per_path?.toLocaleString()} trades.
        Probability of ending below the starting cash ({money(cash)}):{' '}
        <strong className="text-fg">{percent(monteCarlo.probability_of_loss ?? 0)}</strong>
      </p>
      <div className="overflow-x-auto">
        <table className="table-basic w-full text-sm" aria-label="Monte Carlo percentiles">
          <thead>
            <tr><th>Percentile</th>{PERCENTILES.map((p) => <th key={p} className="text-right">{p}th</th>)}</tr>
          </thead>
          <tbody>
            <tr><td>Final equity</td>{PERCENTILES.map((p) => <td key={p} className="text-right font-mono">{equity[p] === undefined ? '—' : money(equity[p])}</td>)}</tr>
            <tr><td>Max drawdown</td>{PERCENTILES.map((p) => <td key={p} className="text-right font-mono">{drawdown[p] === undefined ? '—' : percent(drawdown[p])}</td>)}</tr>
          </tbody>
        </table>
      </div>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2" data-testid="monte-carlo-charts">
        {monteCarlo.final_equity_histogram && (
          <figure><figcaption className="text-xs text-muted">Final equity distribution</figcaption>
            <HistogramChart histogram={monteCarlo.final_equity_histogram} format={money} label="Final equity distribution" color="accent" /></figure>
        )}
        {monteCarlo.max_drawdown_histogram && (
          <figure><figcaption className="text-xs text-muted">Max drawdown distribution</figcaption>
            <HistogramChart histogram={monteCarlo.max_drawdown_histogram} format={percent} label="Max drawdown distribution" color="down" /></figure>
        )}
      </div>
    </div>
  );
}
