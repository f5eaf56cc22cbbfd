// Tree-shaken ECharts: only the charts and components the app draws are bundled.
import { BarChart, CandlestickChart, LineChart } from 'echarts/charts';
import {
  AxisPointerComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  CandlestickChart,
  LineChart,
  AxisPointerComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export { echarts };
export type ECharts = echarts.ECharts;
export type EChartsOption = echarts.EChartsCoreOption;

/** Colours read from the theme's CSS variables so charts follow dark/light. */
export function themeColors() {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#e6edf3'),
    muted: read('--muted', '#8b949e'),
    border: read('--border', '#30363d'),
    accent: read('--accent', '#58a6ff'),
    up: read('--ok', '#3fb950'),
    down: read('--fail', '#f85149'),
  };
}
