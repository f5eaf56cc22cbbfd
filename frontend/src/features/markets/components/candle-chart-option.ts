import type { Candle } from '@/features/markets/api/candles';
import type { IndicatorChoice, IndicatorSeries } from '@/features/markets/api/get-indicator';
import type { EChartsOption, themeColors } from '@/shared/charts/echarts';

export type Overlay = { choice: IndicatorChoice; series: IndicatorSeries };
export type ZoomWindow = { startValue: number; endValue: number };

type Colors = ReturnType<typeof themeColors>;

export function formatBarTime(ms: number, interval: string): string {
  const iso = new Date(ms).toISOString(); // UTC, like the exchange's bar boundaries
  if (interval.endsWith('d') || interval.endsWith('w')) return iso.slice(0, 10);
  if (interval.endsWith('s')) return `${iso.slice(5, 10)} ${iso.slice(11, 19)}`;
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** Lines for one indicator, aligned to the candles by open time (missing -> gap). */
function indicatorLines(overlay: Overlay, candles: Candle[], axis: number) {
  const byTime = new Map<number, unknown[]>();
  for (const row of overlay.series.rows) if (row) byTime.set(Number(row[0]), row);
  return overlay.series.columns.slice(1).map((column, i) => ({
    name: overlay.series.columns.length > 2 ? `${overlay.choice.label} ${column}` : overlay.choice.label,
    type: 'line',
    xAxisIndex: axis,
    yAxisIndex: axis,
    showSymbol: false,
    lineStyle: { width: 1 },
    connectNulls: false,
    data: candles.map((c) => {
      const value = byTime.get(c.openTime)?.[i + 1];
      return value === null || value === undefined ? '-' : Number(value);
    }),
  }));
}

/** The whole chart as one ECharts option: price + overlays, volume, and an optional indicator pane. */
const timeLabels = new Map<string, string>();

/** Bar labels are recomputed on every live tick for every bar; caching keeps that O(new bars). */
function cachedBarTime(ms: number, interval: string): string {
  const key = `${interval}:${ms}`;
  let label = timeLabels.get(key);
  if (label === undefined) {
    if (timeLabels.size > 50_000) timeLabels.clear();
    label = formatBarTime(ms, interval);
    timeLabels.set(key, label);
  }
  return label;
}

export function buildCandleOption(
  candles: Candle[],
  overlays: Overlay[],
  interval: string,
  zoom: ZoomWindow,
  colors: Colors,
): EChartsOption {
  const times = candles.map((c) => cachedBarTime(c.openTime, interval));
  const pane = overlays.filter((o) => !o.choice.overlay);
  const hasPane = pane.length > 0;
  const grids = hasPane
    ? [
        { left: 60, right: 60, top: 10, height: '52%' },
        { left: 60, right: 60, top: '60%', height: '12%' },
        { left: 60, right: 60, top: '76%', height: '14%' },
      ]
    : [
        { left: 60, right: 60, top: 10, height: '65%' },
        { left: 60, right: 60, top: '74%', height: '16%' },
      ];
  const axes = grids.map((_, i) => i);
  const axisLine = { lineStyle: { color: colors.border } };

  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: colors.text },
    legend: { show: overlays.length > 0, top: 0, left: 70, textStyle: { color: colors.muted } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'cross' },
      // The OHLCV readout sits above the chart; the tooltip would only cover candles.
      showContent: false,
    },
    axisPointer: { link: [{ xAxisIndex: 'all' }], label: { backgroundColor: colors.muted } },
    grid: grids,
    xAxis: axes.map((i) => ({
      type: 'category',
      gridIndex: i,
      data: times,
      boundaryGap: true,
      axisLine,
      axisLabel: { show: i === axes.length - 1, color: colors.muted },
      axisTick: { show: false },
    })),
    yAxis: axes.map((i) => ({
      gridIndex: i,
      scale: true,
      position: 'right',
      splitNumber: i === 0 ? 5 : 2,
      axisLabel: { color: colors.muted },
      splitLine: { lineStyle: { color: colors.border, opacity: 0.4 } },
    })),
    dataZoom: [
      { type: 'inside', xAxisIndex: axes, ...zoom },
      { type: 'slider', xAxisIndex: axes, bottom: 4, height: 18, ...zoom },
    ],
    series: [
      {
        id: 'price',
        name: 'Price',
        type: 'candlestick',
        data: priceData(candles),
        large: true,
        largeThreshold: 1000,
        itemStyle: { color: colors.up, color0: colors.down, borderColor: colors.up, borderColor0: colors.down },
      },
      // Volume as two overlapping series (up / down) so both can use large mode, which draws
      // each series as one path instead of one element per bar: needed at 10k bars.
      ...(['up', 'down'] as const).map((direction) => ({
        id: `volume-${direction}`,
        name: 'Volume',
        type: 'bar',
        xAxisIndex: 1,
        yAxisIndex: 1,
        large: true,
        barGap: '-100%',
        itemStyle: { color: direction === 'up' ? colors.up : colors.down, opacity: 0.6 },
        data: volumeData(candles, direction),
      })),
      ...overlays.filter((o) => o.choice.overlay).flatMap((o) => indicatorLines(o, candles, 0)),
      ...pane.flatMap((o) => indicatorLines(o, candles, 2)),
    ],
  };
}

function priceData(candles: Candle[]) {
  // ECharts wants [open, close, low, high].
  return candles.map((c) => [c.open, c.close, c.low, c.high]);
}

function volumeData(candles: Candle[], direction: 'up' | 'down') {
  return candles.map((c) => ((c.close >= c.open) === (direction === 'up') ? c.volume : '-'));
}

/**
 * The option for a live tick that only changed the forming (last) bar: just the price and
 * volume data, merged by series id, so ECharts skips rebuilding axes, zoom and overlays.
 */
export function buildLastBarPatch(candles: Candle[]): EChartsOption {
  return {
    series: [
      { id: 'price', data: priceData(candles) },
      { id: 'volume-up', data: volumeData(candles, 'up') },
      { id: 'volume-down', data: volumeData(candles, 'down') },
    ],
  };
}

/** True when `next` differs from `previous` only in its last bar (a tick of the forming candle). */
export function onlyLastBarChanged(previous: Candle[], next: Candle[]): boolean {
  return (
    previous.length > 0 &&
    previous.length === next.length &&
    previous[0] === next[0] &&
    previous[previous.length - 1]?.openTime === next[next.length - 1]?.openTime
  );
}

/** Keeps the user's view steady when bars are added: older ones shift it right, new ones follow the edge. */
export function adjustZoom(zoom: ZoomWindow, previous: Candle[], next: Candle[]): ZoomWindow {
  if (previous.length === 0) {
    const end = next.length - 1;
    return { startValue: Math.max(0, end - 120), endValue: end };
  }
  const prepended = previous[0] && next[0] && next[0].openTime < previous[0].openTime
    ? next.findIndex((c) => c.openTime === previous[0]!.openTime)
    : 0;
  const shifted = { startValue: zoom.startValue + Math.max(prepended, 0), endValue: zoom.endValue + Math.max(prepended, 0) };
  const appended = next.length - previous.length - Math.max(prepended, 0);
  const wasAtRightEdge = zoom.endValue >= previous.length - 1;
  if (appended > 0 && wasAtRightEdge) {
    return { startValue: shifted.startValue + appended, endValue: shifted.endValue + appended };
  }
  return shifted;
}

/**
 * Bars kept to the left of the view when drawing. ECharts reprocesses every bar it holds on each
 * update, so with 10,000 bars loaded only the view plus this margin is handed to it; scrolling
 * into the margin widens the drawn window again.
 */
export const RENDER_MARGIN = 1500;

/** Index of the first bar to draw for a view starting at `viewStart` (absolute index). */
export function renderBase(viewStart: number): number {
  return Math.max(0, viewStart - RENDER_MARGIN);
}
