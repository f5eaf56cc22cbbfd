import { useEffect } from 'react';

import { themeColors } from '@/shared/charts/echarts';
import { useEChart } from '@/shared/charts/use-echart';

type Point = [number, number];
export type CompareRun = { label: string; equity: Point[]; drawdown: Point[] };

/** Equity as return on the starting value, so runs with different cash line up. */
export function asReturnPercent(equity: Point[]): Point[] {
  const first = equity[0]?.[1];
  if (!first) return [];
  return equity.map(([t, v]) => [t, (v / first - 1) * 100]);
}

/** Two runs overlaid: cumulative return on top, drawdown below, one shared time axis. */
export function CompareChart({ runs }: { runs: CompareRun[] }) {
  const { containerRef, chart, theme } = useEChart();

  useEffect(() => {
    if (!chart) return;
    const colors = themeColors();
    const palette = [colors.accent, '#d29922'];
    const axisLabel = { color: colors.muted };
    const splitLine = { lineStyle: { color: colors.border, opacity: 0.4 } };
    chart.setOption({
      animation: false,
      legend: { top: 0, textStyle: { color: colors.text } },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(2)}%` },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      grid: [
        { left: 60, right: 20, top: 30, height: '52%' },
        { left: 60, right: 20, top: '72%', height: '20%' },
      ],
      xAxis: [
        { type: 'time', gridIndex: 0, axisLabel: { show: false } },
        { type: 'time', gridIndex: 1, axisLabel },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, scale: true, axisLabel: { ...axisLabel, formatter: '{value}%' }, splitLine },
        { type: 'value', gridIndex: 1, splitNumber: 2, axisLabel: { ...axisLabel, formatter: '{value}%' }, splitLine },
      ],
      series: runs.flatMap((run, i) => [
        { name: run.label, type: 'line', showSymbol: false, data: asReturnPercent(run.equity), lineStyle: { color: palette[i] }, itemStyle: { color: palette[i] } },
        {
          name: run.label,
          type: 'line',
          xAxisIndex: 1,
          yAxisIndex: 1,
          showSymbol: false,
          data: run.drawdown.map(([t, d]) => [t, -Math.abs(d) * 100]),
          lineStyle: { color: palette[i], opacity: 0.8 },
          itemStyle: { color: palette[i] },
        },
      ]),
    }, true);
  }, [chart, runs, theme]);

  return <div ref={containerRef} className="h-96 w-full" data-testid="compare-chart" />;
}
