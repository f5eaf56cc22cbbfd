import { screen, waitFor, within } from '@testing-library/react';

import type { Readiness } from '@/features/status/api/get-readiness';
import { StatusRoute } from '@/features/status/routes/status-route';
import { renderWithProviders, stubFetchJson } from '@/testing/test-utils';

const healthy: Readiness = {
  status: 'ok',
  checked_at: '2026-11-21T10:00:00Z',
  components: {
    database: { ok: true, latency_ms: 1.3, detail: 'PostgreSQL 15.19' },
    redis: { ok: true, latency_ms: 0.6, detail: 'Redis 7.2.4' },
    nats: { ok: true, latency_ms: 0.9, detail: 'JetStream enabled' },
    'worker:celery': { ok: true, latency_ms: 0.4, detail: '2 workers alive' },
  },
};

const failing: Readiness = {
  ...healthy,
  status: 'fail',
  components: {
    ...healthy.components,
    'worker:celery': { ok: false, latency_ms: 0.4, detail: 'no heartbeat for 41 s' },
  },
};

function rowFor(name: string) {
  const cell = screen.getByRole('cell', { name });
  return cell.closest('tr') as HTMLTableRowElement;
}

describe('StatusRoute', () => {
  it('renders every component and "operational" when /readyz is ok', async () => {
    const fetchMock = stubFetchJson(healthy, 200);

    renderWithProviders(<StatusRoute />);

    expect(await screen.findByText('All systems operational')).toBeInTheDocument();
    for (const name of Object.keys(healthy.components)) {
      expect(within(rowFor(name)).getByText('OK')).toBeInTheDocument();
    }
    expect(within(rowFor('database')).getByText('PostgreSQL 15.19')).toBeInTheDocument();
    expect(within(rowFor('database')).getByText('1.3 ms')).toBeInTheDocument();
    expect(screen.queryByText('FAIL')).not.toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledWith('/readyz', expect.objectContaining({ credentials: 'same-origin' }));
  });

  it('renders the failing component from a 503 body instead of an error', async () => {
    stubFetchJson(failing, 503);

    renderWithProviders(<StatusRoute />);

    expect(await screen.findByText('1 component failing')).toBeInTheDocument();
    const row = rowFor('worker:celery');
    expect(within(row).getByText('FAIL')).toBeInTheDocument();
    expect(within(row).getByText('no heartbeat for 41 s')).toBeInTheDocument();
    expect(within(rowFor('database')).getByText('OK')).toBeInTheDocument();
    expect(screen.queryByText('All systems operational')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows an error state when the network is down', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));

    renderWithProviders(<StatusRoute />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/cannot reach the platform/i);
    expect(alert).toHaveTextContent('Failed to fetch');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('treats a non-readiness 5xx (e.g. proxy 502) as an error', async () => {
    stubFetchJson({ detail: 'Bad Gateway' }, 502);

    renderWithProviders(<StatusRoute />);

    expect(await screen.findByRole('alert')).toHaveTextContent('HTTP 502');
  });

  it('polls /readyz every 5 s', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const fetchMock = stubFetchJson(healthy, 200);
      renderWithProviders(<StatusRoute />);
      await screen.findByText('All systems operational');
      expect(fetchMock).toHaveBeenCalledTimes(1);

      await vi.advanceTimersByTimeAsync(5_000);
      await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    } finally {
      vi.useRealTimers();
    }
  });
});
