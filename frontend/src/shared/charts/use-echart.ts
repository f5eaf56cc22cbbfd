import { useEffect, useRef, useState } from 'react';

import { type ECharts, echarts } from '@/shared/charts/echarts';
import { useTheme } from '@/shared/theme/theme';

/**
 * Owns an ECharts instance bound to a div: created on mount, resized with the element,
 * disposed on unmount, recreated when the theme flips (colours are baked into options).
 */
export function useEChart() {
  const containerRef = useRef<HTMLDivElement | null>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  const [theme] = useTheme();

  useEffect(() => {
    const element = containerRef.current;
    if (!element) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    setChart(instance);
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => instance.resize());
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      instance.dispose();
      setChart(null);
    };
  }, [theme]);

  return { containerRef, chart, theme };
}
