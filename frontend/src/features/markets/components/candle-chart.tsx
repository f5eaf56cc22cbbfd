import { useEffect, useRef, useState } from 'react';

import type { Candle } from '@/features/markets/api/candles';
import {
  type Overlay,
  type ZoomWindow,
  RENDER_MARGIN,
  adjustZoom,
  buildCandleOption,
  buildLastBarPatch,
  onlyLastBarChanged,
  renderBase,
} from '@/features/markets/components/candle-chart-option';
import { OhlcvReadout } from '@/features/markets/components/ohlcv-readout';
import { themeColors } from '@/shared/charts/echarts';
import { useEChart } from '@/shared/charts/use-echart';

type Props = {
  candles: Candle[];
  overlays: Overlay[];
  interval: string;
  /** Called when the user scrolls to the oldest loaded bar. */
  onReachStart: () => void;
  /** Changing this number scrolls the view back to the newest bar, keeping its width. */
  jumpToLatest?: number;
};

/** Bars from the left edge at which older history starts loading (before the user hits the wall). */
const PREFETCH_MARGIN = 5;

export function CandleChart({ candles, overlays, interval, onReachStart, jumpToLatest = 0 }: Props) {
  const { containerRef, chart, theme } = useEChart();
  const zoomRef = useRef<ZoomWindow>({ startValue: 0, endValue: 0 });
  const previousRef = useRef<Candle[]>([]);
  const [hoverIndex, setHoverIndex] = useState<number | null>(null);
  const reachStartRef = useRef(onReachStart);
  reachStartRef.current = onReachStart;
  // Absolute index of the first bar handed to ECharts (see RENDER_MARGIN), and how many it holds.
  const baseRef = useRef(0);
  const renderedLengthRef = useRef(0);
  // Bumped when the user scrolls into the left margin: the next draw widens the window.
  const [widenRequests, setWidenRequests] = useState(0);

  useEffect(() => {
    if (!chart) return;
    const onZoom = () => {
      const option = chart.getOption() as { dataZoom?: { start?: number; end?: number }[] };
      const zoom = option.dataZoom?.[0];
      if (!zoom) return;
      const last = Math.max(renderedLengthRef.current - 1, 0);
      const localStart = Math.round(((zoom.start ?? 0) / 100) * last);
      const localEnd = Math.round(((zoom.end ?? 100) / 100) * last);
      const base = baseRef.current;
      zoomRef.current = { startValue: base + localStart, endValue: base + localEnd };
      if (base > 0 && localStart < RENDER_MARGIN / 4) setWidenRequests((n) => n + 1);
      else if (base === 0 && localStart <= PREFETCH_MARGIN) reachStartRef.current();
    };
    const onPointer = (event: unknown) => {
      const info = (event as { axesInfo?: { value?: number }[] }).axesInfo?.[0];
      setHoverIndex(typeof info?.value === 'number' ? baseRef.current + info.value : null);
    };
    chart.on('datazoom', onZoom);
    chart.on('updateAxisPointer', onPointer);
    chart.getZr().on('globalout', () => setHoverIndex(null));
    return () => {
      chart.off('datazoom', onZoom);
      chart.off('updateAxisPointer', onPointer);
    };
  }, [chart]);

  // Bursts of live ticks are coalesced into one redraw per animation frame.
  const frameRef = useRef<number | null>(null);
  const drawnRef = useRef({ overlays: null as Overlay[] | null, interval: '', theme: '', widenRequests: 0, jumpToLatest: 0 });
  useEffect(() => {
    if (!chart) return;
    if (frameRef.current !== null) cancelAnimationFrame(frameRef.current);
    frameRef.current = requestAnimationFrame(() => {
      frameRef.current = null;
      const drawn = drawnRef.current;
      const previous = chart.getOption() ? previousRef.current : [];
      const started = performance.now();
      const sameFrame = drawn.overlays === overlays && drawn.interval === interval && drawn.theme === theme;
      if (drawn.jumpToLatest !== jumpToLatest) {
        const width = zoomRef.current.endValue - zoomRef.current.startValue;
        const end = candles.length - 1;
        zoomRef.current = { startValue: Math.max(0, end - width), endValue: end };
      }
      const unchangedView = drawn.widenRequests === widenRequests && drawn.jumpToLatest === jumpToLatest;
      if (sameFrame && unchangedView && onlyLastBarChanged(previous, candles)) {
        chart.setOption(buildLastBarPatch(candles.slice(baseRef.current)));
      } else {
        const zoom = adjustZoom(zoomRef.current, previous, candles);
        const base = renderBase(zoom.startValue);
        const drawnCandles = candles.slice(base);
        zoomRef.current = zoom;
        baseRef.current = base;
        renderedLengthRef.current = drawnCandles.length;
        const localZoom = { startValue: zoom.startValue - base, endValue: zoom.endValue - base };
        chart.setOption(buildCandleOption(drawnCandles, overlays, interval, localZoom, themeColors()), {
          replaceMerge: ['series'],
        });
        drawnRef.current = { overlays, interval, theme, widenRequests, jumpToLatest };
      }
      previousRef.current = candles;
      // A User Timing entry per redraw: the e2e run reads these to report chart update cost.
      performance.measure?.('qt:chart-update', { start: started, detail: { bars: candles.length } });
    });
  }, [chart, candles, overlays, interval, theme, widenRequests, jumpToLatest]);

  useEffect(
    () => () => {
      if (frameRef.current !== null) cancelAnimationFrame(frameRef.current);
    },
    [],
  );

  const shown = (hoverIndex !== null ? candles[hoverIndex] : undefined) ?? candles[candles.length - 1];

  return (
    <div className="flex flex-col gap-1">
      <OhlcvReadout candle={shown} hovering={hoverIndex !== null} />
      <div ref={containerRef} className="h-[520px] w-full" data-testid="candle-chart" />
    </div>
  );
}
