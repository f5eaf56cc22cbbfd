import { useEffect } from 'react';

import { themeColors } from '@/shared/charts/echarts';
import { useEChart } from '@/shared/charts/use-echart';

type Points = number[][];

/** Equity above, drawdown (a falling percentage) below, on one time axis. */
export function TrackRecordChart({ equity, drawdown, label }: { equity: Points; drawdown: Points; label: string }) {
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
          { left: 64, right: 16, top: 10, height: '56%' },
          { left: 64, right: 16, top: '72%', height: '20%' },
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
          {
            name: 'Equity',
            type: 'line',
            showSymbol: false,
            data: equity,
            lineStyle: { color: colors.accent },
            itemStyle: { color: colors.accent },
          },
          {
            name: 'Drawdown',
            type: 'line',
            xAxisIndex: 1,
            yAxisIndex: 1,
            showSymbol: false,
            data: drawdown.map(([t = 0, d = 0]) => [t, -Math.abs(d) * 100]),
            lineStyle: { color: colors.down },
            itemStyle: { color: colors.down },
            areaStyle: { color: colors.down, opacity: 0.2 },
          },
        ],
      },
      { notMerge: true },
    );
  }, [chart, equity, drawdown, theme]);

  return (
    <div ref={containerRef} className="h-72 w-full" data-testid="track-record-chart" role="img" aria-label={label} />
  );
}
