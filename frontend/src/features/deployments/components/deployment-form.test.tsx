import { fireEvent, screen, waitFor } from '@testing-library/react';

import { DeploymentForm } from '@/features/deployments/components/deployment-form';
import { account, deploymentOf, instruments, rsi, smaCross, trendRider } from '@/features/deployments/testing-fixtures';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

/** Stubs what the form reads; `sent` collects the POSTed bodies, `reply` answers them. */
function stub(reply: () => { status?: number; body: unknown }, accounts: unknown[] = [account]) {
  const sent: Record<string, unknown>[] = [];
  stubApi({
    'GET /api/v1/strategies/catalogue': { body: [smaCross, rsi, trendRider] },
    'GET /api/v1/accounts': { body: accounts },
    'GET /api/v1/market/instruments': { body: instruments },
    'POST /api/v1/deployments': (request) => {
      void request.clone().json().then((json) => sent.push(json as Record<string, unknown>));
      return reply();
    },
  });
  return sent;
}

describe('DeploymentForm', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it('sends the strategy, its params, market, account, sizing and stops', async () => {
    const sent = stub(() => ({ status: 201, body: deploymentOf({ id: 9 }) }));
    const onCreated = vi.fn();
    renderWithProviders(<DeploymentForm onCreated={onCreated} />);

    fireEvent.change(await screen.findByLabelText('fast'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'allow_short' }));
    // Only markets quoted in the account's currency are offered.
    expect(screen.queryByRole('option', { name: 'ETH-BTC (sim)' })).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Market'), { target: { value: 'ETH-USDT' } });
    fireEvent.change(screen.getByLabelText('Interval'), { target: { value: '5m' } });
    fireEvent.change(screen.getByLabelText('Name (optional)'), { target: { value: 'ETH trend' } });
    fireEvent.change(screen.getByLabelText('Sizing'), { target: { value: 'volatility_target' } });
    fireEvent.change(screen.getByLabelText('atr_bars'), { target: { value: '20' } });
    fireEvent.change(screen.getByLabelText('Stop-loss'), { target: { value: '0.05' } });
    fireEvent.change(screen.getByLabelText('Max drawdown'), { target: { value: '0.2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Deploy and start' }));

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(expect.objectContaining({ id: 9 })));
    expect(sent[0]).toEqual({
      strategy: 'sma_cross',
      params: { fast: 5, slow: 30, allow_short: 1 },
      name: 'ETH trend',
      symbol: 'ETH-USDT',
      exchange: 'sim',
      interval: '5m',
      account: 3,
      sizing: 'volatility_target',
      sizing_params: { risk_per_atr: 0.01, max_fraction: 1, atr_bars: 20 },
      stop_loss: 0.05,
      max_drawdown: 0.2,
      start: true,
    });
  });

  it('preselects ?listing= and deploys it by its listing_version', async () => {
    const sent = stub(() => ({ status: 201, body: deploymentOf() }));
    const onCreated = vi.fn();
    renderWithProviders(<DeploymentForm listing="trend-rider" onCreated={onCreated} />);
    expect(await screen.findByLabelText('lookback')).toHaveValue('50');
    expect(screen.getByLabelText('Strategy')).toHaveValue('listing:trend-rider');
    // The listing supports 5m and 1h only: the interval follows its manifest.
    expect(screen.getByLabelText('Interval')).toHaveValue('5m');
    fireEvent.click(screen.getByRole('checkbox', { name: /Start at once/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Create paused' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(sent[0]).toMatchObject({ listing_version: 41, params: { lookback: 50 }, interval: '5m', start: false });
    expect(sent[0]).not.toHaveProperty('strategy');
  });

  it('says so when the listing asked for is not deployable', async () => {
    stub(() => ({ body: {} }));
    renderWithProviders(<DeploymentForm listing="paid-alpha" onCreated={vi.fn()} />);
    expect(await screen.findByText(/You cannot deploy/)).toHaveTextContent('paid-alpha');
    expect(screen.getByRole('link', { name: 'marketplace' })).toHaveAttribute('href', '/marketplace/paid-alpha');
    expect(screen.getByLabelText('Strategy')).toHaveValue('builtin:sma_cross');
  });

  it('builds an ensemble with weights', async () => {
    const sent = stub(() => ({ status: 201, body: deploymentOf() }));
    const onCreated = vi.fn();
    renderWithProviders(<DeploymentForm onCreated={onCreated} />);
    fireEvent.click(await screen.findByRole('checkbox', { name: /Ensemble/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Add member' }));
    fireEvent.change(screen.getByLabelText('Member 2 strategy'), { target: { value: 'builtin:rsi' } });
    const weights = screen.getAllByLabelText('Weight');
    fireEvent.change(weights[1]!, { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Deploy and start' }));
    expect(await screen.findByText('Weight must be above 0 and at most 1000.')).toBeInTheDocument();
    expect(sent).toHaveLength(0);
    fireEvent.change(weights[1]!, { target: { value: '2' } });
    fireEvent.change(screen.getByLabelText('period'), { target: { value: '21' } });
    fireEvent.click(screen.getByRole('button', { name: 'Deploy and start' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(sent[0]).toMatchObject({
      ensemble: [
        { strategy: 'sma_cross', params: { fast: 10, slow: 30, allow_short: 0 }, weight: 1 },
        { strategy: 'rsi', params: { period: 21 }, weight: 2 },
      ],
      interval: '1m',
    });
    expect(sent[0]).not.toHaveProperty('strategy');
  });

  it('blocks invalid values and shows API refusals beside the field they name', async () => {
    const sent = stub(() => ({
      status: 400,
      body: { error: { code: 'invalid_params', message: 'strategy: slow must be within 2..1000, got 5000', detail: { field: 'strategy', param: 'slow' } } },
    }));
    renderWithProviders(<DeploymentForm onCreated={vi.fn()} />);
    fireEvent.change(await screen.findByLabelText('fast'), { target: { value: '1' } });
    fireEvent.change(screen.getByLabelText('Take-profit'), { target: { value: '20' } });
    expect(screen.getByText('fast must be at least 2.')).toBeInTheDocument();
    expect(screen.getByText('Must be above 0 and at most 10.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Deploy and start' }));
    expect(await screen.findByText('Fix the fields marked above first.')).toBeInTheDocument();
    expect(sent).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('fast'), { target: { value: '10' } });
    fireEvent.change(screen.getByLabelText('Take-profit'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Deploy and start' }));
    const messages = await screen.findAllByText(/slow must be within 2..1000, got 5000/);
    // Once beside the slow input (aria-described), once in the summary alert.
    expect(messages.length).toBe(2);
    expect(screen.getByLabelText('slow')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Not deployed:')).toBeInTheDocument();
  });

  it('links to creating a paper account when there is none', async () => {
    stub(() => ({ body: {} }), []);
    renderWithProviders(<DeploymentForm onCreated={vi.fn()} />);
    expect(await screen.findByRole('link', { name: 'Create a paper account' })).toHaveAttribute('href', '/paper');
    expect(screen.getByRole('button', { name: 'Deploy and start' })).toBeDisabled();
  });
});
