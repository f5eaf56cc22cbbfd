import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { RuleForm } from '@/features/alerts/components/rule-form';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const instruments = [
  { exchange: 'sim', symbol: 'BTC-USDT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.0001' },
  { exchange: 'sim', symbol: 'ETH-USDT', base: 'ETH', quote: 'USDT', tick_size: '0.01', lot_size: '0.001' },
];
const accounts = [{ id: 31, name: 'Swing' }];

function stub(reply: { status: number; body: unknown } = { status: 201, body: { id: 1, name: 'x' } }) {
  const posted: Record<string, unknown>[] = [];
  stubApi({
    'GET /api/v1/market/instruments': { body: instruments },
    'GET /api/v1/webhooks/endpoints': { body: [] },
    'GET /api/v1/accounts': { body: accounts },
    'POST /api/v1/alerts/rules': (request) => {
      void request.clone().json().then((json) => posted.push(json as Record<string, unknown>));
      return reply;
    },
  });
  return posted;
}

function fill(label: string, value: string) {
  const fieldset = screen.getByRole('group', { name: 'Condition settings' });
  fireEvent.change(within(fieldset).getByLabelText(label), { target: { value } });
}

async function setup(type: string) {
  renderWithProviders(<RuleForm />);
  await screen.findByRole('option', { name: 'ETH-USDT (sim)' }, { timeout: 5_000 });
  fireEvent.change(screen.getByLabelText('Name'), { target: { value: `rule ${type}` } });
  fireEvent.change(screen.getByLabelText('Condition type'), { target: { value: type } });
}

// Each condition type: what the user fills in, what the form must send.
const CASES: {
  type: string;
  fill: [string, string][];
  market?: boolean;
  evaluate?: string;
  interval?: string;
  expect: Record<string, unknown>;
}[] = [
  { type: 'price_cross', fill: [['Direction', 'below'], ['Level', '2500']],
    expect: { condition: { type: 'price_cross', direction: 'below', level: 2500 }, source: 'trade', interval: '' } },
  { type: 'price_range', fill: [['When price', 'leave'], ['Low', '2000'], ['High', '2100']], evaluate: 'closed', interval: '5m',
    expect: { condition: { type: 'price_range', event: 'leave', low: 2000, high: 2100 }, source: 'closed', interval: '5m' } },
  { type: 'pct_change', fill: [['Direction', 'down'], ['Change (%)', '1.5'], ['Over bars', '3']], interval: '15m',
    expect: { condition: { type: 'pct_change', direction: 'down', pct: 1.5, bars: 3 }, source: 'live', interval: '15m' } },
  { type: 'volume_spike', fill: [['Volume ≥ × average', '4'], ['Average of bars', '30']], evaluate: 'closed',
    expect: { condition: { type: 'volume_spike', multiplier: 4, period: 30 }, source: 'closed', interval: '1m' } },
  { type: 'indicator', fill: [['Indicator', 'sma'], ['Period', '2'], ['Condition', 'crosses_above'], ['Level', '1900']],
    expect: { condition: { type: 'indicator', indicator: 'sma', period: 2, op: 'crosses_above', level: 1900 }, source: 'live' } },
  { type: 'macd_cross', fill: [['Cross', 'bearish'], ['Fast period', '8'], ['Slow period', '21'], ['Signal period', '5']], interval: '1h',
    expect: { condition: { type: 'macd_cross', direction: 'bearish', fast: 8, slow: 21, signal: 5 }, interval: '1h' } },
  { type: 'bollinger_touch', fill: [['Band', 'lower'], ['Period', '10'], ['Width (k × std dev)', '2.5']],
    expect: { condition: { type: 'bollinger_touch', band: 'lower', period: 10, k: 2.5 } } },
  { type: 'ma_cross', fill: [['Average', 'ema'], ['Fast period', '9'], ['Slow period', '21'], ['Fast crosses', 'below']],
    expect: { condition: { type: 'ma_cross', ma: 'ema', fast: 9, slow: 21, direction: 'below' } } },
  { type: 'order_filled', fill: [['Paper account', '31'], ['Symbol', 'btc-usdt']], market: false,
    expect: { condition: { type: 'order_filled', account: 31, symbol: 'BTC-USDT' }, source: 'event' } },
  { type: 'deployment_errored', fill: [['Deployment id', '7']], market: false,
    expect: { condition: { type: 'deployment_errored', deployment: 7 }, source: 'event' } },
  { type: 'drawdown_breached', fill: [], market: false,
    expect: { condition: { type: 'drawdown_breached' }, source: 'event' } },
  { type: 'subscription_lapsed', fill: [['Subscription', 'listing'], ['Listing id', '12']], market: false,
    expect: { condition: { type: 'subscription_lapsed', subscription: 'listing', listing: 12 }, source: 'event' } },
];

describe('RuleForm', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it.each(CASES)('sends the $type rule the engine expects', async (c) => {
    const posted = stub();
    await setup(c.type);
    if (c.market === false) {
      expect(screen.queryByLabelText('Market')).toBeNull();
    } else {
      fireEvent.change(screen.getByLabelText('Market'), { target: { value: 'sim:ETH-USDT' } });
      if (c.evaluate) fireEvent.change(screen.getByLabelText('Evaluate on'), { target: { value: c.evaluate } });
      if (c.interval) fireEvent.change(screen.getByLabelText('Interval'), { target: { value: c.interval } });
    }
    if (c.type === 'order_filled' || c.type === 'drawdown_breached') await screen.findByRole('option', { name: 'Swing (#31)' });
    for (const [label, value] of c.fill) fill(label, value);
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));

    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({ name: `rule ${c.type}`, mode: 'every_time', notify_in_app: true, notify_webhook: true, ...c.expect });
    if (c.market === false) {
      expect(posted[0]).not.toHaveProperty('symbol');
    } else {
      expect(posted[0]).toMatchObject({ exchange: 'sim', symbol: 'ETH-USDT' });
    }
  });

  it('kline conditions cannot be evaluated on raw trades', async () => {
    stub();
    await setup('indicator');
    const options = within(screen.getByLabelText('Evaluate on')).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Live candle (as it forms)', 'Closed candles only']);
  });

  it('sends trigger mode, cooldown, expiry and channels', async () => {
    const posted = stub();
    await setup('price_cross');
    fill('Level', '70000');
    fireEvent.change(screen.getByLabelText('Trigger'), { target: { value: 'cooldown' } });
    fireEvent.change(screen.getByLabelText('Cooldown (seconds)'), { target: { value: '900' } });
    fireEvent.change(screen.getByLabelText('Expires (optional)'), { target: { value: '2099-01-02T03:04' } });
    fireEvent.click(screen.getByLabelText('Webhook endpoints'));
    fireEvent.click(screen.getByLabelText('Email'));
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({
      mode: 'cooldown', cooldown_s: 900, expires_at: new Date('2099-01-02T03:04').toISOString(),
      notify_in_app: true, notify_webhook: false, notify_email: true, exchange: 'sim', symbol: 'BTC-USDT',
    });
  });

  it('shows validation problems and sends nothing', async () => {
    const posted = stub();
    renderWithProviders(<RuleForm />);
    await screen.findByRole('option', { name: 'BTC-USDT (sim)' }, { timeout: 5_000 });
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Give the rule a name.');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'range' } });
    fireEvent.change(screen.getByLabelText('Condition type'), { target: { value: 'price_range' } });
    fill('Low', '200');
    fill('High', '100');
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Low must be below High.');
    fill('High', '300');
    fireEvent.change(screen.getByLabelText('Trigger'), { target: { value: 'cooldown' } });
    fireEvent.change(screen.getByLabelText('Cooldown (seconds)'), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Cooldown must be a whole number of seconds, at least 1.');
    expect(posted).toHaveLength(0);
  });

  it('shows the API error message', async () => {
    stub({ status: 400, body: { error: { code: 'invalid_template', message: 'unknown placeholder {colour}' } } });
    await setup('price_cross');
    fill('Level', '1');
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('unknown placeholder {colour}');
  });

  it('edits an existing rule with a PATCH of its fields', async () => {
    let patched: Record<string, unknown> | null = null;
    stubApi({
      'GET /api/v1/market/instruments': { body: instruments },
      'GET /api/v1/webhooks/endpoints': { body: [{ id: 5, url: 'https://hooks.example.com/a', event_types: ['alert.fired'], is_enabled: true }] },
      'PATCH /api/v1/alerts/rules/9': (request) => {
        void request.clone().json().then((json) => (patched = json as Record<string, unknown>));
        return { body: { id: 9, name: 'RSI hot' } };
      },
    });
    const onDone = vi.fn();
    const rule = {
      id: 9, name: 'RSI hot', exchange: 'sim', symbol: 'ETH-USDT', interval: '5m', source: 'closed' as const,
      condition: { type: 'indicator', indicator: 'rsi', period: 14, op: 'above', level: 70 }, mode: 'once' as const,
      cooldown_s: 0, expires_at: null, message_template: '{symbol} hot', notify_in_app: true, notify_webhook: true,
      notify_email: false, is_active: true, fired_count: 2, last_fired_at: null, created_at: '', updated_at: '',
    };
    renderWithProviders(<RuleForm rule={rule} onDone={onDone} />);
    expect(await screen.findByText(/Sent to 1 enabled endpoint/)).toHaveTextContent('https://hooks.example.com/a');
    expect(screen.getByLabelText('Interval')).toHaveValue('5m');
    fill('Level', '80');
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(patched).toMatchObject({
      name: 'RSI hot', exchange: 'sim', symbol: 'ETH-USDT', source: 'closed', interval: '5m', mode: 'once',
      condition: { type: 'indicator', indicator: 'rsi', period: 14, op: 'above', level: 80 }, message_template: '{symbol} hot',
    });
  });
});
