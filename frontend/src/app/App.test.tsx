import { render, screen } from '@testing-library/react';

import { App } from '@/app/App';
import { sessionOf, sessionOut, signedOut, stubApi } from '@/testing/test-utils';

const readiness = {
  status: 'ok',
  checked_at: '2026-11-21T10:00:00Z',
  components: { database: { ok: true, latency_ms: 1.3, detail: 'PostgreSQL 15.19' } },
};

describe('App routing', () => {
  it('serves the public status page with header and API docs link', async () => {
    window.history.pushState({}, '', '/status');
    stubApi({ 'GET /readyz': { body: readiness }, 'GET /api/v1/auth/session': sessionOut });

    render(<App />);

    expect(await screen.findByRole('heading', { level: 1, name: 'Quant-Trader' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'API docs' })).toHaveAttribute('href', '/api/docs/');
    expect(await screen.findByText('All systems operational')).toBeInTheDocument();
  });

  it('sends signed-out visitors of a private page to the login form', async () => {
    window.history.pushState({}, '', '/');
    stubApi({ 'GET /api/v1/auth/session': sessionOut });

    render(<App />);

    expect(await screen.findByRole('form', { name: 'Sign in' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/login');
    expect(window.location.search).toBe('?next=%2Fmarkets');
  });

  it('shows the markets list to a signed-in user', async () => {
    window.history.pushState({}, '', '/markets');
    stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/market/instruments': {
        body: [{ exchange: 'sim', symbol: 'BTC-USDT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.0001' }],
      },
      'GET /api/v1/market/ticker': {
        body: [{ exchange: 'sim', symbol: 'BTC-USDT', last_price: '97000.1', price_change_percent: '1.5', high: '1', low: '1', volume: '3', price_change: '1', quote_volume: '1', trades: 1 }],
      },
    });

    render(<App />);

    expect(await screen.findByRole('link', { name: 'BTC-USDT' })).toHaveAttribute('href', '/markets/sim/BTC-USDT');
    expect(await screen.findByText('97,000.1')).toBeInTheDocument();
    expect(screen.getByText('+1.50%')).toBeInTheDocument();
  });

  it('sends the user to the login form when the session expires mid-use', async () => {
    window.history.pushState({}, '', '/markets');
    let meCalls = 0;
    stubApi({
      'GET /api/v1/auth/session': () => (meCalls++ === 0 ? sessionOf() : sessionOut),
      'GET /api/v1/market/instruments': signedOut,
      'GET /api/v1/market/ticker': signedOut,
    });

    render(<App />);

    expect(await screen.findByRole('form', { name: 'Sign in' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/login');
  });

  it('renders not-found for unknown paths', () => {
    window.history.pushState({}, '', '/nope');
    stubApi({ 'GET /api/v1/auth/session': sessionOut });

    render(<App />);

    expect(screen.getByRole('heading', { name: 'Not found' })).toBeInTheDocument();
  });
});
