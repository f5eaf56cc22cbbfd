import '@testing-library/jest-dom/vitest';
// jsdom has no canvas: this 2D context records calls instead of drawing, so ECharts charts mount
// in component tests and their options can be read back (echarts.getInstanceByDom).
import 'vitest-canvas-mock';
