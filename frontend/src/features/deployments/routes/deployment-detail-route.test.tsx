import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';

import type { Deployment, Signal } from '@/features/deployments/api/types';
import { DeploymentDetailRoute } from '@/features/deployments/routes/deployment-detail-route';
import { account, deploymentOf } from '@/features/deployments/testing-fixtures';
import { FakeSocket } from '@/testing/fake-socket';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const signal = (bar: number, target: number): Signal => ({
  id: bar, bar_open_ms: bar, exposure: target, target, reason: 'signal', price: '60000', equity: '10000', qty: '0.01',
  orders: [{ id: '3:1', status: 'filled', side: 'buy', qty: '0.01', filled_qty: '0.01', avg_price: '60000', reject_reason: null }],
  ts: '2026-11-21T10:01:00Z',
});

const performance = {
  deployment: 7, account: 3, position_qty: '0.01', entry_price: '60000', realized_pnl: '0', fees: '0.6', max_drawdown: 0.012,
  equity: [[1_767_225_600_000, '10000'], [1_767_225_660_000, '10012'], [1_767_225_720_000, '9990']],
  drawdown: [[1_767_225_600_000, 0], [1_767_225_660_000, 0], [1_767_225_720_000, 0.0022]],
  trades: [{ id: '3:1-1', order_id: '3:1', side: 'buy', price: '60000', qty: '0.01', fee: '0.6', realized_pnl: '0', ts_ms: 1_767_225_660_000 }],
};

function setup(initial: Deployment, signals: Signal[][] = [[]]) {
  let current = initial;
  let signalCalls = 0;
  const calls: string[] = [];
  const transition = (status: string) => () => {
    calls.push(status);
    current = { ...current, status, error: status === 'running' ? null : current.error };
    return { body: current };
  };
  stubApi({
    'GET /api/v1/deployments/7': () => ({ body: current }),
    'GET /api/v1/deployments/7/signals': () => ({ body: signals[Math.min(signalCalls++, signals.length - 1)] }),
    'GET /api/v1/deployments/7/performance': { body: performance },
    'GET /api/v1/accounts': { body: [account] },
    'POST /api/v1/deployments/7/start': transition('running'),
    'POST /api/v1/deployments/7/pause': transition('paused'),
    'POST /api/v1/deployments/7/stop': transition('stopped'),
  });
  renderWithProviders(
    <Routes><Route path="/deployments/:deploymentId" element={<DeploymentDetailRoute />} /></Routes>,
    { route: '/deployments/7' },
  );
  return calls;
}

describe('DeploymentDetailRoute', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
    vi.stubGlobal('WebSocket', FakeSocket);
  });

  it('running: shows status, P&L, the chart and fills, and adds signals as they arrive live', async () => {
    setup(deploymentOf(), [[], [signal(1_767_225_660_000, 0.5)]]);
    expect(await screen.findByRole('heading', { name: 'BTC trend' })).toBeInTheDocument();
    expect(screen.getByLabelText('Status')).toHaveTextContent('running');
    // realized 12.5 − fees 0.5 + open 3
    expect(screen.getByText('+15.00')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Main' })).toHaveAttribute('href', '/paper/3');
    expect(await screen.findByTestId('deployment-performance-chart')).toBeInTheDocument();
    expect(screen.getByText(/max drawdown 1.20%/)).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Deployment fills' })).getByText('0.6')).toBeInTheDocument();
    expect(await screen.findByText(/No signals yet/)).toBeInTheDocument();

    const socket = FakeSocket.instances.at(-1)!;
    socket.open();
    await waitFor(() => expect(socket.sent).toContainEqual({ type: 'subscribe', channel: 'deployments' }));
    // Another deployment's frame changes nothing; this one's refreshes the signals.
    socket.receive({ type: 'update', channel: 'deployments', data: { deployment: 99, bar_open_ms: 1, reason: 'signal' } });
    socket.receive({ type: 'update', channel: 'deployments', data: { deployment: 7, bar_open_ms: 1_767_225_660_000, exposure: 0.5, target: 0.5, reason: 'signal', price: '60000', qty: '0.01', orders: [] } });
    const table = await screen.findByRole('table', { name: 'Signals' });
    expect(within(table).getByText('buy 0.01 · filled')).toBeInTheDocument();
    expect(within(table).getAllByText('50.0%')).toHaveLength(2);
    expect(screen.getByText(/live · last update/)).toBeInTheDocument();
  });

  it('puts each live signal in the table at once and re-reads at most every 10 s', async () => {
    let signalCalls = 0;
    stubApi({
      'GET /api/v1/deployments/7': { body: deploymentOf() },
      'GET /api/v1/deployments/7/signals': () => { signalCalls += 1; return { body: [] }; },
      'GET /api/v1/deployments/7/performance': { body: performance },
    });
    renderWithProviders(
      <Routes><Route path="/deployments/:deploymentId" element={<DeploymentDetailRoute />} /></Routes>,
      { route: '/deployments/7' },
    );
    await screen.findByText(/No signals yet/);
    const socket = FakeSocket.instances.at(-1)!;
    socket.open();
    const frame = (i: number) => ({
      type: 'update', channel: 'deployments',
      data: { deployment: 7, bar_open_ms: 1_767_225_600_000 + i * 1000, exposure: i % 2, target: (i % 2) * 0.2, reason: 'signal', price: `6000${i}`, qty: '0', orders: [] },
    });
    socket.receive(frame(0));
    await waitFor(() => expect(signalCalls).toBe(2)); // the first frame re-reads at once (the stub answers [])
    for (let i = 1; i <= 4; i += 1) socket.receive(frame(i));
    const table = await screen.findByRole('table', { name: 'Signals' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(1 + 4));
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent('60,004'); // newest first
    await new Promise((r) => setTimeout(r, 500));
    expect(signalCalls).toBe(2); // the burst waits for the next slot
  });

  it('running: pause, and stop only after confirming', async () => {
    const calls = setup(deploymentOf());
    fireEvent.click(await screen.findByRole('button', { name: 'Stop BTC trend' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Stop BTC trend?' });
    expect(calls).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Pause BTC trend' }));
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveTextContent('paused'));
    fireEvent.click(screen.getByRole('button', { name: 'Stop BTC trend' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm stop' }));
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveTextContent('stopped'));
    expect(calls).toEqual(['paused', 'stopped']);
    expect(screen.getByRole('button', { name: 'Delete deployment' })).toBeInTheDocument();
  });

  it('paused: offers resume and no pause', async () => {
    const calls = setup(deploymentOf({ status: 'paused' }));
    const resume = await screen.findByRole('button', { name: 'Start BTC trend' });
    expect(resume).toHaveTextContent('Resume');
    expect(screen.queryByRole('button', { name: 'Pause BTC trend' })).not.toBeInTheDocument();
    fireEvent.click(resume);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveTextContent('running'));
    expect(calls).toEqual(['running']);
  });

  it('errored: shows the code, the message and what to do; starting clears it', async () => {
    setup(deploymentOf({
      status: 'errored',
      error: { code: 'fuel_exhausted', message: 'qt_on_bars used more than 2,000,000 fuel', at: '2026-11-21T10:05:00Z' },
    }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('fuel_exhausted');
    expect(alert).toHaveTextContent('qt_on_bars used more than 2,000,000 fuel');
    expect(alert).toHaveTextContent(/past its sandbox limits/);
    expect(screen.getByLabelText('Status')).toHaveTextContent('errored');
    fireEvent.click(screen.getByRole('button', { name: 'Start BTC trend' }));
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveTextContent('running'));
    expect(screen.queryByText('fuel_exhausted')).not.toBeInTheDocument();
  });

  it('edits name, sizing and stops with PATCH (a cleared stop is sent as null)', async () => {
    const patches: unknown[] = [];
    let current = deploymentOf();
    stubApi({
      'GET /api/v1/deployments/7': () => ({ body: current }),
      'GET /api/v1/deployments/7/signals': { body: [] },
      'GET /api/v1/deployments/7/performance': { body: performance },
      'PATCH /api/v1/deployments/7': (request) => {
        void request.clone().json().then((json) => patches.push(json));
        current = { ...current, name: 'renamed', sizing: 'kelly_cap', stop_loss: null };
        return { body: current };
      },
    });
    renderWithProviders(
      <Routes><Route path="/deployments/:deploymentId" element={<DeploymentDetailRoute />} /></Routes>,
      { route: '/deployments/7' },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Edit name, sizing, stops' }));
    const form = screen.getByRole('form', { name: 'Edit deployment' });
    expect(within(form).getByLabelText('fraction')).toHaveValue('0.5');
    expect(within(form).getByLabelText('Stop-loss')).toHaveValue('0.05');
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'renamed' } });
    fireEvent.change(within(form).getByLabelText('Sizing'), { target: { value: 'kelly_cap' } });
    fireEvent.change(within(form).getByLabelText('win_rate'), { target: { value: '1.5' } });
    expect(within(form).getByText('win_rate must be at most 1.')).toBeInTheDocument();
    expect(within(form).getByRole('button', { name: 'Save changes' })).toBeDisabled();
    fireEvent.change(within(form).getByLabelText('win_rate'), { target: { value: '0.6' } });
    fireEvent.change(within(form).getByLabelText('Stop-loss'), { target: { value: '' } });
    fireEvent.change(within(form).getByLabelText('Take-profit'), { target: { value: '0.3' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    await screen.findByRole('heading', { name: 'renamed' });
    expect(screen.queryByRole('form', { name: 'Edit deployment' })).not.toBeInTheDocument();
    expect(patches).toEqual([{
      name: 'renamed', sizing: 'kelly_cap', sizing_params: { win_rate: 0.6, payoff: 1.5, scale: 0.5, cap: 0.25 },
      stop_loss: null, take_profit: 0.3, max_drawdown: 0.2,
    }]);
  });

  it("shows the API's error when a control is refused", async () => {
    stubApi({
      'GET /api/v1/deployments/7': { body: deploymentOf({ status: 'paused' }) },
      'GET /api/v1/deployments/7/signals': { body: [] },
      'GET /api/v1/deployments/7/performance': { body: performance },
      'POST /api/v1/deployments/7/start': { status: 403, body: { error: { code: 'quota_exceeded', message: 'Your plan allows 1 running deployment.' } } },
    });
    renderWithProviders(
      <Routes><Route path="/deployments/:deploymentId" element={<DeploymentDetailRoute />} /></Routes>,
      { route: '/deployments/7' },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Start BTC trend' }));
    expect(await screen.findByText('Your plan allows 1 running deployment.')).toBeInTheDocument();
  });
});
