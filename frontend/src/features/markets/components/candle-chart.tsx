import { useEffect, useRef, useState } from 'react';

import type { Candle } from '@/features/markets/api/candles';
import {
  type Overlay,
  type ZoomWindow,
  adjustZoom,
  buildCandleOption,
  buildLastBarPatch,
  onlyLastBarChanged,
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
};

/** Bars from the left edge at which older history starts loading (before the user hits the wall). */
const PREFETCH_MARGIN = 5;

export function CandleChart({ candles, overlays, interval, onReachStart }: Props) {
  const { containerRef, chart, theme } = useEChart();
  const zoomRef = useRef<ZoomWindow>({ startValue: 0, endValue: 0 });
  const previousRef = useRef<Candle[]>([]);
  const [hoverIndex, setHoverIndex] = useState<number | null>(null);
  const reachStartRef = useRef(onReachStart);
  reachStartRef.current = onReachStart;
  const lengthRef = useRef(candles.length);
  lengthRef.current = candles.length;

  useEffect(() => {
    if (!chart) return;
    const onZoom = () => {
      const option = chart.getOption() as { dataZoom?: { start?: number; end?: number }[] };
      const zoom = option.dataZoom?.[0];
      const last = Math.max(lengthRef.current - 1, 0);
      if (!zoom) return;
      const startValue = Math.round(((zoom.start ?? 0) / 100) * last);
      const endValue = Math.round(((zoom.end ?? 100) / 100) * last);
      zoomRef.current = { startValue, endValue };
      if (startValue <= PREFETCH_MARGIN) reachStartRef.current();
    };
    const onPointer = (event: unknown) => {
      const info = (event as { axesInfo?: { value?: number }[] }).axesInfo?.[0];
      setHoverIndex(typeof info?.value === 'number' ? info.value : null);
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
  const drawnRef = useRef<{ overlays: Overlay[] | null; interval: string; theme: string }>({ overlays: null, interval: '', theme: '' });
  useEffect(() => {
    if (!chart) return;
    if (frameRef.current !== null) cancelAnimationFrame(frameRef.current);
    frameRef.current = requestAnimationFrame(() => {
      frameRef.current = null;
      const drawn = drawnRef.current;
      const previous = chart.getOption() ? previousRef.current : [];
      const started = performance.now();
      const sameFrame = drawn.overlays === overlays && drawn.interval === interval && drawn.theme === theme;
      if (sameFrame && onlyLastBarChanged(previous, candles)) {
        chart.setOption(buildLastBarPatch(candles));
      } else {
        zoomRef.current = adjustZoom(zoomRef.current, previous, candles);
        chart.setOption(buildCandleOption(candles, overlays, interval, zoomRef.current, themeColors()), {
          replaceMerge: ['series'],
        });
        drawnRef.current = { overlays, interval, theme };
      }
      previousRef.current = candles;
      // A User Timing entry per redraw: the e2e run reads these to report chart update cost.
      performance.measure?.('qt:chart-update', { start: started, detail: { bars: candles.length } });
    });
  }, [chart, candles, overlays, interval, theme]);

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
