import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { firingFromPush } from '@/features/alerts/api/use-live-firings';
import { RulesRoute } from '@/features/alerts/routes/rules-route';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

vi.mock('@/shared/ws/use-push-channel', () => ({ usePushChannel: vi.fn() }));

const rule = (id: number, name: string, extra: Record<string, unknown> = {}) => ({
  id, name, exchange: 'sim', symbol: 'BTC-USDT', interval: '', source: 'trade', mode: 'every_time', cooldown_s: 0,
  condition: { type: 'price_cross', direction: 'above', level: 100000 }, expires_at: null, message_template: '',
  notify_in_app: true, notify_webhook: true, notify_email: false, is_active: true, fired_count: 3,
  last_fired_at: null, created_at: '', updated_at: '', ...extra,
});

describe('RulesRoute', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it('lists rules, toggles one off and deletes one after confirmation', async () => {
    let rules = [rule(2, 'BTC 100k'), rule(1, 'BTC dip', { condition: { type: 'price_cross', direction: 'below', level: 50000 } })];
    const calls: string[] = [];
    stubApi({
      'GET /api/v1/market/instruments': { body: [] },
      'GET /api/v1/webhooks/endpoints': { body: [] },
      'GET /api/v1/alerts/rules': () => ({ body: rules }),
      'GET /api/v1/alerts/firings': { body: [] },
      'PATCH /api/v1/alerts/rules/2': (request) => {
        void request.clone().json().then((json) => calls.push(`PATCH 2 ${JSON.stringify(json)}`));
        rules = [{ ...rules[0]!, is_active: false }, rules[1]!];
        return { body: rules[0] };
      },
      'DELETE /api/v1/alerts/rules/1': () => {
        calls.push('DELETE 1');
        rules = [rules[0]!];
        return { status: 200, body: null }; // the API answers 204; the stub cannot build a 204 with a body
      },
    });
    renderWithProviders(<RulesRoute />);
    const table = await screen.findByRole('table', { name: 'Alert rules' }, { timeout: 5_000 });
    expect(table).toHaveTextContent('Price crosses below 50,000');
    expect(await screen.findByText(/Nothing has fired yet/)).toBeInTheDocument();

    fireEvent.click(within(table).getByLabelText('Enabled: BTC 100k'));
    await waitFor(() => expect(within(table).getByLabelText('Enabled: BTC 100k')).not.toBeChecked());
    expect(calls).toContain('PATCH 2 {"is_active":false}');

    const dip = within(table).getByRole('link', { name: 'BTC dip' }).closest('tr')!;
    fireEvent.click(within(dip).getByRole('button', { name: 'Delete' }));
    expect(calls).not.toContain('DELETE 1');
    fireEvent.click(within(dip).getByRole('button', { name: 'Delete rule' }));
    await waitFor(() => expect(screen.queryByRole('link', { name: 'BTC dip' })).toBeNull());
    expect(calls).toContain('DELETE 1');
  });

  it('says what to do when there are no rules, and shows list errors', async () => {
    stubApi({
      'GET /api/v1/market/instruments': { body: [] },
      'GET /api/v1/webhooks/endpoints': { body: [] },
      'GET /api/v1/alerts/rules': { body: [] },
      'GET /api/v1/alerts/firings': { status: 503, body: { error: { code: 'unavailable', message: 'database is restarting' } } },
    });
    renderWithProviders(<RulesRoute />);
    expect(await screen.findByText(/No alert rules yet/, {}, { timeout: 5_000 })).toBeInTheDocument();
    expect(await screen.findByRole('alert')).toHaveTextContent('database is restarting');
  });

  it('pages rules with before = the last id seen', async () => {
    const seen: string[] = [];
    stubApi({
      'GET /api/v1/market/instruments': { body: [] },
      'GET /api/v1/webhooks/endpoints': { body: [] },
      'GET /api/v1/alerts/firings': { body: [] },
      'GET /api/v1/alerts/rules': (request) => {
        const url = new URL(request.url);
        seen.push(url.search);
        const before = Number(url.searchParams.get('before') ?? 1000);
        const ids = Array.from({ length: 20 }, (_, i) => before - 1 - i).filter((id) => id > 975);
        return { body: ids.map((id) => rule(id, `rule ${id}`)) };
      },
    });
    renderWithProviders(<RulesRoute />);
    await screen.findByRole('link', { name: 'rule 999' }, { timeout: 5_000 });
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Rule pages' })).getByRole('button', { name: 'Older' }));
    await screen.findByRole('link', { name: 'rule 979' });
    expect(seen).toEqual(['?limit=20', '?limit=20&before=980']);
  });
});

describe('firingFromPush', () => {
  it('maps the alerts channel payload to a firing row', () => {
    expect(firingFromPush({ firing: 41, rule: 2, name: 'BTC 100k', message: 'BTC-USDT: 2 fired', fired_at_ms: 1767225600000, values: { price: 100001 } }))
      .toEqual({ id: 41, rule: 2, rule_name: 'BTC 100k', fired_at: '2026-01-01T00:00:00.000Z', message: 'BTC-USDT: 2 fired', values: { price: 100001 } });
    expect(firingFromPush({ hello: 1 })).toBeNull();
    expect(firingFromPush(null)).toBeNull();
  });
});
