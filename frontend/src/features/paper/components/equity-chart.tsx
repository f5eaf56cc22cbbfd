import { useEffect } from 'react';

import { useEquity } from '@/features/paper/api/get-equity';
import { themeColors } from '@/shared/charts/echarts';
import { useEChart } from '@/shared/charts/use-echart';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState } from '@/shared/components/loading';

export function EquityChart({ accountId }: { accountId: number }) {
  const equity = useEquity(accountId);
  const { containerRef, chart, theme } = useEChart();
  const points = equity.data ?? [];

  useEffect(() => {
    if (!chart) return;
    const colors = themeColors();
    chart.setOption({
      animation: false,
      grid: { left: 70, right: 20, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time', axisLabel: { color: colors.muted }, axisLine: { lineStyle: { color: colors.border } } },
      yAxis: { type: 'value', scale: true, axisLabel: { color: colors.muted }, splitLine: { lineStyle: { color: colors.border, opacity: 0.4 } } },
      series: [
        {
          name: 'Equity',
          type: 'line',
          showSymbol: false,
          areaStyle: { opacity: 0.15, color: colors.accent },
          lineStyle: { color: colors.accent },
          data: points.map((p) => [p.ts_ms, Number(p.equity)]),
        },
      ],
    });
  }, [chart, points, theme]);

  return (
    <div>
      <ErrorMessage error={equity.error} />
      {!equity.isPending && points.length === 0 && <EmptyState>The equity curve starts once the account is marked.</EmptyState>}
      {/* Kept mounted (the chart instance binds at mount) but collapsed while there is nothing to draw. */}
      <div ref={containerRef} className={points.length > 0 ? "h-56 w-full" : "h-0 w-full overflow-hidden"} data-testid="equity-chart" />
    </div>
  );
}
