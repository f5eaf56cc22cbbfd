import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { SignalsRoute, parseAllowedIps } from '@/features/alerts/routes/signals-route';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const accounts = [{ id: 3, name: 'Swing' }, { id: 5, name: 'Scalp' }];
const endpoint = { id: 11, name: 'TradingView', account: 5, allowed_ips: ['52.89.214.238'], is_enabled: true, created_at: '2026-11-21T10:00:00Z' };

describe('parseAllowedIps', () => {
  it('splits on commas, spaces and lines', () => {
    expect(parseAllowedIps('52.89.214.238, 203.0.113.0/24\n 10.0.0.1 ')).toEqual(['52.89.214.238', '203.0.113.0/24', '10.0.0.1']);
    expect(parseAllowedIps('  ')).toEqual([]);
  });
});

describe('SignalsRoute', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it('creates an endpoint on the chosen account and shows its secret and URL once', async () => {
    const listed: unknown[] = [];
    let posted: unknown = null;
    stubApi({
      'GET /api/v1/accounts': { body: accounts },
      'GET /api/v1/signals/endpoints': () => ({ body: listed }),
      'POST /api/v1/signals/endpoints': (request) => {
        void request.clone().json().then((json) => (posted = json));
        listed.push(endpoint);
        return { status: 201, body: { ...endpoint, secret: 'sig_abc123', url: '/api/v1/signals/in/11' } };
      },
    });
    renderWithProviders(<SignalsRoute />);
    expect(await screen.findByText(/No signal endpoints yet/, {}, { timeout: 5_000 })).toBeInTheDocument();
    await screen.findByRole('option', { name: 'Scalp (#5)' });
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'TradingView' } });
    fireEvent.change(screen.getByLabelText('Paper account'), { target: { value: '5' } });
    fireEvent.change(screen.getByLabelText('Allowed IPs (optional)'), { target: { value: '52.89.214.238' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create signal endpoint' }));

    const reveal = await screen.findByRole('region', { name: 'New signing secret' });
    expect(posted).toEqual({ name: 'TradingView', account: 5, allowed_ips: ['52.89.214.238'] });
    expect(within(reveal).getByLabelText('Signing secret')).toHaveValue('sig_abc123');
    expect(reveal).toHaveTextContent(`POST ${window.location.origin}/api/v1/signals/in/11`);
    const row = within(await screen.findByRole('table', { name: 'Signal endpoints' })).getByRole('row', { name: /TradingView/ });
    expect(row).toHaveTextContent('Scalp');
    fireEvent.click(within(reveal).getByRole('button', { name: /I have stored it/ }));
    expect(document.body.textContent).not.toContain('sig_abc123');
  });

  it('shows the API refusal and what each signal became', async () => {
    stubApi({
      'GET /api/v1/accounts': { body: accounts },
      'GET /api/v1/signals/endpoints': { body: [endpoint] },
      'POST /api/v1/signals/endpoints': { status: 400, body: { error: { code: 'invalid_allowed_ips', message: "'nope' is not an IP network" } } },
      'GET /api/v1/signals/endpoints/11/signals': {
        body: [
          { id: 2, signal_id: 'tv-2', action: 'sell', symbol: 'BTC-USDT', size: '0.5', price: '', source_ip: '52.89.214.238',
            received_at: '2026-11-21T10:01:00Z', status: 'rejected', code: 'risk_max_order_notional', message: 'order notional above the limit', order_id: '' },
          { id: 1, signal_id: 'tv-1', action: 'buy', symbol: 'BTC-USDT', size: '0.01', price: '', source_ip: '52.89.214.238',
            received_at: '2026-11-21T10:00:00Z', status: 'placed', code: '', message: '', order_id: '981' },
        ],
      },
    });
    renderWithProviders(<SignalsRoute />);
    await screen.findByRole('option', { name: 'Swing (#3)' }, { timeout: 5_000 });
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'x' } });
    fireEvent.change(screen.getByLabelText('Allowed IPs (optional)'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create signal endpoint' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("'nope' is not an IP network");

    fireEvent.click(screen.getByRole('button', { name: 'Signals' }));
    const log = await screen.findByRole('table', { name: 'Signals' });
    expect(within(log).getByRole('row', { name: /tv-2/ })).toHaveTextContent('rejectedrisk_max_order_notional: order notional above the limit');
    expect(within(log).getByRole('row', { name: /tv-1/ })).toHaveTextContent('order 981');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Hide signals' })).toHaveAttribute('aria-expanded', 'true'));
  });
});
