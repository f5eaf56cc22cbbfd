import { render, screen } from '@testing-library/react';

import { App } from '@/app/App';
import { stubFetchJson } from '@/testing/test-utils';

const body = {
  status: 'ok',
  checked_at: '2026-11-21T10:00:00Z',
  components: { database: { ok: true, latency_ms: 1.3, detail: 'PostgreSQL 15.19' } },
};

describe('App routing', () => {
  it.each(['/', '/status'])('serves the status page at %s with header and API docs link', async (path) => {
    window.history.pushState({}, '', path);
    stubFetchJson(body);

    render(<App />);

    expect(screen.getByRole('heading', { level: 1, name: 'Quant-Trader' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'API docs' })).toHaveAttribute('href', '/api/docs/');
    expect(await screen.findByText('All systems operational')).toBeInTheDocument();
  });

  it('renders not-found for unknown paths', () => {
    window.history.pushState({}, '', '/nope');
    stubFetchJson(body);

    render(<App />);

    expect(screen.getByRole('heading', { name: 'Not found' })).toBeInTheDocument();
  });
});
