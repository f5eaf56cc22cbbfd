import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';

import { asReturnPercent } from '@/features/backtests/components/compare-chart';
import { CompareRoute, metricDifference } from '@/features/backtests/routes/compare-route';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

function run(id: number, strategy: string, metrics: Record<string, unknown>) {
  return {
    id, strategy, status: 'succeeded', progress: 1, error: null, params: { fast: id }, exchange: 'sim', symbol: 'BTC-USDT',
    interval: '1h', start: 0, end: 1, cash: '10000', commission: '0.001', slippage_bps: '0', monte_carlo_simulations: 0,
    bars: 10, final_equity: '10100', created_by: 1, created_at: '', started_at: '', finished_at: '', metrics,
    equity_curve: [[0, 10000], [1, 10100]], drawdown_curve: [[0, 0], [1, 0.01]], trades: [], trades_total: 0,
    trades_truncated: false, monte_carlo: null,
  };
}

describe('CompareRoute', () => {
  it('lines up the two runs metric by metric with the difference', async () => {
    stubApi({
      'GET /api/v1/backtests/3': { body: run(3, 'sma_cross', { total_return: 0.1, sharpe: 1.2, trades: 10 }) },
      'GET /api/v1/backtests/5': { body: run(5, 'rsi_reversion', { total_return: 0.05, sharpe: 1.5, trades: 14 }) },
      'GET /api/v1/backtests': { body: [] },
    });
    renderWithProviders(<Routes><Route path="/backtests/compare" element={<CompareRoute />} /></Routes>, { route: '/backtests/compare?a=3&b=5' });

    const table = await screen.findByRole('table', { name: 'Metrics compared' });
    const totalReturn = within(table).getByRole('row', { name: /Total return/ });
    expect(totalReturn).toHaveTextContent('10.00%');
    expect(totalReturn).toHaveTextContent('5.00%');
    expect(totalReturn).toHaveTextContent('-5.00%');
    expect(within(table).getByRole('row', { name: /Trades/ })).toHaveTextContent('+4');
    expect(within(table).getByRole('columnheader', { name: /#5 rsi_reversion/ })).toBeInTheDocument();
  });

  it('asks for a second run when only one is given', async () => {
    stubApi({
      'GET /api/v1/backtests/3': { body: run(3, 'sma_cross', {}) },
      'GET /api/v1/backtests': { body: [run(3, 'sma_cross', {}), run(4, 'macd', {})] },
    });
    renderWithProviders(<Routes><Route path="/backtests/compare" element={<CompareRoute />} /></Routes>, { route: '/backtests/compare?a=3' });
    const picker = await screen.findByRole('combobox', { name: 'Second backtest' });
    expect(await within(picker).findByRole('option', { name: /#4 macd/ })).toBeInTheDocument();
    expect(within(picker).queryByRole('option', { name: /#3 sma_cross/ })).not.toBeInTheDocument();
  });
});

describe('comparison maths', () => {
  it('differences and returns', () => {
    expect(metricDifference('sharpe', 1.2, 1.5)).toBe('+0.300');
    expect(metricDifference('max_drawdown', 0.2, 0.1)).toBe('-10.00%');
    expect(metricDifference('sharpe', null, 1)).toBe('');
    expect(asReturnPercent([[0, 200], [1, 250]])).toEqual([[0, 0], [1, 25]]);
  });
});
