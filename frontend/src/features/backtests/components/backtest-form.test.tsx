import { fireEvent, screen, waitFor } from '@testing-library/react';

import { BacktestForm, paramProblem } from '@/features/backtests/components/backtest-form';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const smaCross = {
  name: 'sma_cross',
  description: 'Long while the fast SMA is above the slow one.',
  warmup: 30,
  params: [
    { name: 'fast', type: 'int' as const, default: 10, min: 2, max: 500 },
    { name: 'slow', type: 'int' as const, default: 30, min: 2, max: 1000 },
  ],
};

describe('paramProblem', () => {
  it('checks numbers, integers and bounds', () => {
    expect(paramProblem(smaCross, {})).toBeNull();
    expect(paramProblem(smaCross, { fast: 'x' })).toBe('fast must be a number.');
    expect(paramProblem(smaCross, { fast: '2.5' })).toBe('fast must be a whole number.');
    expect(paramProblem(smaCross, { slow: '1' })).toBe('slow must be at least 2.');
  });
});

describe('BacktestForm', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it('builds the params form from the strategy and queues the run', async () => {
    let body: Record<string, unknown> | null = null;
    stubApi({
      'GET /api/v1/strategies/reference': { body: [smaCross] },
      'GET /api/v1/market/instruments': {
        body: [{ exchange: 'sim', symbol: 'BTC-USDT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.0001' }],
      },
      'POST /api/v1/backtests': (request) => {
        void request.clone().json().then((json) => (body = json as Record<string, unknown>));
        return { status: 202, body: { id: 12, status: 'queued', progress: 0 } };
      },
    });
    const onQueued = vi.fn();
    renderWithProviders(<BacktestForm onQueued={onQueued} />);

    fireEvent.change(await screen.findByLabelText('fast'), { target: { value: '5' } });
    await screen.findByRole('option', { name: 'BTC-USDT (sim)' });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-01-01' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-01-31' } });
    fireEvent.change(screen.getByLabelText('Monte Carlo runs'), { target: { value: '20000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run backtest' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Monte Carlo runs must be a whole number from 0 to 10,000.');
    fireEvent.change(screen.getByLabelText('Monte Carlo runs'), { target: { value: '2500' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run backtest' }));

    await waitFor(() => expect(onQueued).toHaveBeenCalledWith(expect.objectContaining({ id: 12 })));
    expect(body).toMatchObject({
      strategy: 'sma_cross',
      params: { fast: 5, slow: 30 },
      exchange: 'sim',
      symbol: 'BTC-USDT',
      interval: '1h',
      start: '2026-01-01T00:00:00Z',
      end: '2026-01-31T23:59:59Z',
      monte_carlo_simulations: 2500,
    });
  });
});
