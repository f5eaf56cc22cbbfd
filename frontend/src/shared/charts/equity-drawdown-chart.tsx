import { useEffect } from 'react';

import { themeColors } from '@/shared/charts/echarts';
import { useEChart } from '@/shared/charts/use-echart';

/** [time ms, value]; values may come as decimal strings from the API. */
export type CurvePoint = readonly [number, number | string] | readonly number[];

function point(p: CurvePoint): [number, number] {
  return [Number(p[0] ?? 0), Number(p[1] ?? 0)];
}

/**
 * Equity on top and drawdown below (as a falling percentage; drawdown comes in as a fraction),
 * sharing one time axis: the backtest results, a deployment's performance and a listing's track
 * record all draw this.
 */
export function EquityDrawdownChart({
  equity,
  drawdown,
  label,
  testId,
}: {
  equity: readonly CurvePoint[];
  drawdown: readonly CurvePoint[];
  label: string;
  testId: string;
}) {
  const { containerRef, chart, theme } = useEChart();

  useEffect(() => {
    if (!chart) return;
    const colors = themeColors();
    const axisLabel = { color: colors.muted };
    const splitLine = { lineStyle: { color: colors.border, opacity: 0.4 } };
    chart.setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis' },
        axisPointer: { link: [{ xAxisIndex: 'all' }] },
        grid: [
          { left: 64, right: 16, top: 10, height: '58%' },
          { left: 64, right: 16, top: '74%', height: '18%' },
        ],
        xAxis: [
          { type: 'time', gridIndex: 0, axisLabel: { show: false } },
          { type: 'time', gridIndex: 1, axisLabel },
        ],
        yAxis: [
          { type: 'value', gridIndex: 0, scale: true, axisLabel, splitLine },
          { type: 'value', gridIndex: 1, splitNumber: 2, axisLabel: { ...axisLabel, formatter: '{value}%' }, splitLine },
        ],
        series: [
          { name: 'Equity', type: 'line', showSymbol: false, data: equity.map(point),
            lineStyle: { color: colors.accent }, itemStyle: { color: colors.accent } },
          { name: 'Drawdown', type: 'line', xAxisIndex: 1, yAxisIndex: 1, showSymbol: false,
            data: drawdown.map(point).map(([t, d]) => [t, -Math.abs(d) * 100]),
            lineStyle: { color: colors.down }, itemStyle: { color: colors.down }, areaStyle: { color: colors.down, opacity: 0.2 } },
        ],
      },
      { notMerge: true },
    );
  }, [chart, equity, drawdown, theme]);

  return <div ref={containerRef} className="h-72 w-full" role="img" aria-label={label} data-testid={testId} />;
}
