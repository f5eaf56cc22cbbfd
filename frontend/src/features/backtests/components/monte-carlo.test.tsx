import { screen } from '@testing-library/react';

import { MonteCarloSection, histogramBars } from '@/features/backtests/components/monte-carlo';
import { renderWithProviders } from '@/testing/test-utils';

const monteCarlo = {
  simulations: 1000,
  trades_per_path: 42,
  final_equity: { '5': 9100.5, '25': 9800, '50': 10250.25, '75': 10700, '95': 11900 },
  max_drawdown: { '5': 0.02, '25': 0.04, '50': 0.061, '75': 0.08, '95': 0.15 },
  probability_of_loss: 0.318,
  final_equity_histogram: { edges: [9000, 10000, 11000, 12000], counts: [300, 500, 200] },
  max_drawdown_histogram: { edges: [0, 0.1, 0.2], counts: [900, 100] },
};

describe('MonteCarloSection', () => {
  it('shows the percentiles and the probability of a loss', () => {
    renderWithProviders(<MonteCarloSection monteCarlo={monteCarlo} cash={10000} />);
    const table = screen.getByRole('table', { name: 'Monte Carlo percentiles' });
    expect(table).toHaveTextContent('10,250');
    expect(table).toHaveTextContent('6.1%');
    expect(table).toHaveTextContent('15.0%');
    expect(screen.getByText('31.8%')).toBeInTheDocument();
    expect(screen.getByText(/1,000 resamples of 42 trades/)).toBeInTheDocument();
  });

  it('explains why there is no distribution', () => {
    const { unmount } = renderWithProviders(<MonteCarloSection monteCarlo={null} cash={10000} />);
    expect(screen.getByText(/set “Monte Carlo runs” above 0/)).toBeInTheDocument();
    unmount();
    renderWithProviders(<MonteCarloSection monteCarlo={{ simulations: 1000, error: 'no closed trades to resample' }} cash={10000} />);
    expect(screen.getByText(/no closed trades to resample/)).toBeInTheDocument();
  });

  it('labels each histogram bar with its range', () => {
    const bars = histogramBars(monteCarlo.final_equity_histogram, (v) => String(v));
    expect(bars).toEqual([
      { label: '9000 – 10000', count: 300 },
      { label: '10000 – 11000', count: 500 },
      { label: '11000 – 12000', count: 200 },
    ]);
  });
});
