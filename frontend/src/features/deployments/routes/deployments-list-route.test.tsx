import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { DEPLOYMENTS_PAGE } from '@/features/deployments/api/get-deployments';
import { DeploymentsListRoute } from '@/features/deployments/routes/deployments-list-route';
import { account, deploymentOf } from '@/features/deployments/testing-fixtures';
import { FakeSocket } from '@/testing/fake-socket';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

describe('DeploymentsListRoute', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
    vi.stubGlobal('WebSocket', FakeSocket);
  });

  it('lists deployments with strategy, account, status (error code plainly) and P&L, and pages by id', async () => {
    const pageOne = Array.from({ length: DEPLOYMENTS_PAGE }, (_, i) => deploymentOf({ id: 100 - i, name: `dep ${100 - i}` }));
    pageOne[1] = deploymentOf({
      id: 99, name: 'lapsed one', status: 'paused', realized_pnl: '-4', fees: '1', unrealized_pnl: '0',
      error: { code: 'subscription_lapsed', message: 'the subscription to trend-rider lapsed', at: null },
      members: [{ kind: 'listing', ref: 41, listing: 5, name: 'trend_rider', version: '2.1.0', params: {}, weight: 1 }],
    });
    const befores: (string | null)[] = [];
    stubApi({
      'GET /api/v1/deployments': (request) => {
        const before = new URL(request.url).searchParams.get('before');
        befores.push(before);
        return { body: before ? [deploymentOf({ id: 3, name: 'oldest' })] : pageOne };
      },
      'GET /api/v1/accounts': { body: [account] },
    });
    renderWithProviders(<DeploymentsListRoute />);
    const table = await screen.findByRole('table', { name: 'Deployments' });
    const lapsed = within(table).getByRole('row', { name: /lapsed one/ });
    expect(lapsed).toHaveTextContent('trend_rider 2.1.0marketplace');
    expect(lapsed).toHaveTextContent('paused');
    expect(lapsed).toHaveTextContent('subscription_lapsed');
    expect(lapsed).toHaveTextContent('−5.00'); // realized −4 − fees 1
    expect(within(lapsed).getByRole('button', { name: 'Start lapsed one' })).toHaveTextContent('Resume');
    const running = within(table).getByRole('row', { name: /dep 100/ });
    expect(running).toHaveTextContent('+15.00');
    expect(await within(running).findByRole('link', { name: 'Main' })).toHaveAttribute('href', '/paper/3');

    fireEvent.click(screen.getByRole('button', { name: 'Older' }));
    await screen.findByRole('link', { name: 'oldest' });
    expect(befores).toContain(String(100 - DEPLOYMENTS_PAGE + 1));
    fireEvent.click(screen.getByRole('button', { name: 'Newer' }));
    await screen.findByRole('link', { name: 'dep 100' });
  });

  it('says what to do when there are none', async () => {
    stubApi({ 'GET /api/v1/deployments': { body: [] }, 'GET /api/v1/accounts': { body: [] } });
    renderWithProviders(<DeploymentsListRoute />);
    expect(await screen.findByText(/No deployments yet/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Deploy a strategy' })).toHaveAttribute('href', '/deployments/new');
    expect(screen.getAllByRole('link', { name: 'New deployment' })).toHaveLength(1);
  });

  it("shows the API's error", async () => {
    stubApi({ 'GET /api/v1/deployments': { status: 429, body: { error: { code: 'rate_limited', message: 'Request was throttled.' } } } });
    renderWithProviders(<DeploymentsListRoute />);
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Request was throttled.'));
  });
});
