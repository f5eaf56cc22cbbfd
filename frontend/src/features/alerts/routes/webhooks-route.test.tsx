import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';

import { EndpointRoute } from '@/features/alerts/routes/endpoint-route';
import { WebhooksRoute } from '@/features/alerts/routes/webhooks-route';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const endpoint = {
  id: 4, url: 'https://hooks.example.com/qt', description: '', event_types: ['alert.fired', 'test'], is_enabled: true,
  disabled_reason: '', consecutive_failures: 0, created_at: '2026-11-21T10:00:00Z', updated_at: '2026-11-21T10:00:00Z',
};
// A made-up secret for the screen (hyphens keep secret scanners from taking it for a real one).
const SECRET = 'whsec_test-secret-for-the-reveal-once-screen';

describe('WebhooksRoute', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it('reveals the signing secret once, right after create, with a copy button', async () => {
    const listed: unknown[] = [];
    let posted: Record<string, unknown> | null = null;
    stubApi({
      'GET /api/v1/webhooks/endpoints': () => ({ body: listed }),
      'GET /api/v1/webhooks/deliveries': { body: [] },
      'POST /api/v1/webhooks/endpoints': (request) => {
        void request.clone().json().then((json) => (posted = json as Record<string, unknown>));
        listed.push(endpoint);
        return { status: 201, body: { ...endpoint, secret: SECRET } };
      },
    });
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderWithProviders(<WebhooksRoute />);
    expect(await screen.findByText(/No webhook endpoints yet/, {}, { timeout: 5_000 })).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('URL'), { target: { value: 'https://hooks.example.com/qt' } });
    fireEvent.click(screen.getByLabelText(/Order filled/));
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));

    const reveal = await screen.findByRole('region', { name: 'New signing secret' });
    expect(posted).toEqual({ url: 'https://hooks.example.com/qt', description: '', event_types: ['alert.fired', 'test', 'order.filled'] });
    expect(within(reveal).getByLabelText('Signing secret')).toHaveValue(SECRET);
    expect(reveal).toHaveTextContent('you won’t see it again');
    fireEvent.click(within(reveal).getByRole('button', { name: 'Copy secret' }));
    expect(await within(reveal).findByText('Copied to the clipboard.')).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledWith(SECRET);
    // The endpoint list (refetched after create) never carries the secret.
    expect(await screen.findByRole('table', { name: 'Webhook endpoints' })).toHaveTextContent('https://hooks.example.com/qt');

    fireEvent.click(within(reveal).getByRole('button', { name: /I have stored it/ }));
    expect(screen.queryByRole('region', { name: 'New signing secret' })).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('rotating shows the new secret and how long the old one keeps signing', async () => {
    stubApi({
      'GET /api/v1/webhooks/endpoints': { body: [endpoint] },
      'GET /api/v1/webhooks/deliveries': { body: [] },
      'POST /api/v1/webhooks/endpoints/4/rotate-secret': { body: { ...endpoint, secret: 'whsec_new', previous_valid_until: '2026-11-22T10:00:00Z' } },
    });
    renderWithProviders(<WebhooksRoute />);
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate secret' }, { timeout: 5_000 }));
    fireEvent.click(screen.getByRole('button', { name: 'Rotate' }));
    const reveal = await screen.findByRole('region', { name: 'New signing secret' });
    expect(within(reveal).getByLabelText('Signing secret')).toHaveValue('whsec_new');
    expect(reveal).toHaveTextContent('previous secret keeps signing alongside');
  });

  it('shows the SSRF guard’s refusal as the API words it', async () => {
    stubApi({
      'GET /api/v1/webhooks/endpoints': { body: [] },
      'GET /api/v1/webhooks/deliveries': { body: [] },
      'POST /api/v1/webhooks/endpoints': {
        status: 400,
        body: { error: { code: 'forbidden_address', message: '127.0.0.1 is a loopback address: webhooks cannot target it' } },
      },
    });
    renderWithProviders(<WebhooksRoute />);
    fireEvent.change(await screen.findByLabelText('URL', {}, { timeout: 5_000 }), { target: { value: 'http://127.0.0.1:9/hook' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('127.0.0.1 is a loopback address: webhooks cannot target it');
    expect(screen.queryByRole('region', { name: 'New signing secret' })).toBeNull();
  });

  it('checks the URL and events before sending', async () => {
    const fetchMock = stubApi({ 'GET /api/v1/webhooks/endpoints': { body: [] }, 'GET /api/v1/webhooks/deliveries': { body: [] } });
    renderWithProviders(<WebhooksRoute />);
    fireEvent.change(await screen.findByLabelText('URL', {}, { timeout: 5_000 }), { target: { value: 'hooks.example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That is not a valid URL');
    fireEvent.change(screen.getByLabelText('URL'), { target: { value: 'https://hooks.example.com' } });
    fireEvent.click(screen.getByLabelText(/Alert fired/));
    fireEvent.click(screen.getByLabelText(/Test events/));
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Pick at least one event to send.');
    expect(fetchMock.mock.calls.some(([r]) => (r as Request).method === 'POST')).toBe(false);
  });
});

const delivery = (id: number, status: string, attempts: { code: number | null; excerpt?: string; error?: string }[], next: string | null = null) => ({
  id, endpoint: 4, endpoint_url: endpoint.url, event_id: `msg_${id + 100}`, event_type: 'test', status,
  created_at: '2026-11-21T10:00:00Z', next_attempt_at: next,
  attempts: attempts.map((a, i) => ({
    number: i + 1, at: '2026-11-21T10:00:01Z', status_code: a.code, latency_ms: 12 + i, error: a.error ?? '', response_excerpt: a.excerpt ?? '',
  })),
});

describe('EndpointRoute (delivery log)', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it('lists deliveries with attempts, response and next retry, and resends one', async () => {
    let log = [
      delivery(8, 'failed', [{ code: 500, excerpt: 'upstream down', error: 'http_500' }, { code: null, error: 'timeout' }]),
      delivery(7, 'succeeded', [{ code: 204 }]),
    ];
    const resent: string[] = [];
    stubApi({
      'GET /api/v1/webhooks/endpoints/4': { body: endpoint },
      'GET /api/v1/webhooks/endpoints/4/deliveries': () => ({ body: log }),
      'POST /api/v1/webhooks/deliveries/8/resend': (request) => {
        resent.push(new URL(request.url).pathname);
        log = [delivery(8, 'pending', log[0]!.attempts.map((a) => ({ code: a.status_code })), new Date(Date.now() + 5_000).toISOString()), log[1]!];
        return { status: 202, body: { delivery: 8, status: 'pending' } };
      },
    });
    renderWithProviders(
      <Routes><Route path="/alerts/webhooks/:endpointId" element={<EndpointRoute />} /></Routes>,
      { route: '/alerts/webhooks/4' },
    );
    const table = await screen.findByRole('table', { name: 'Deliveries' }, { timeout: 5_000 });
    const failed = within(table).getByRole('row', { name: 'Delivery 8' });
    expect(failed).toHaveTextContent('failed');
    expect(failed).toHaveTextContent('msg_108');
    expect(within(failed).getByText(/no answer · timeout/)).toBeInTheDocument();
    const attempts = within(failed).getByRole('list', { name: 'Attempts of delivery 8' });
    expect(within(attempts).getAllByRole('listitem')).toHaveLength(2);
    expect(attempts).toHaveTextContent('upstream down');
    expect(within(table).getByRole('row', { name: 'Delivery 7' })).toHaveTextContent('succeeded');

    fireEvent.click(within(failed).getByRole('button', { name: 'Resend delivery 8' }));
    expect(await screen.findByText(/Delivery 8 queued again/)).toBeInTheDocument();
    expect(resent).toEqual(['/api/v1/webhooks/deliveries/8/resend']);
    await waitFor(() => expect(within(screen.getByRole('row', { name: 'Delivery 8' })).getByText('pending')).toBeInTheDocument());
    expect(screen.getByRole('row', { name: 'Delivery 8' })).toHaveTextContent(/in \d s/);
  });

  it('says what to do when nothing was delivered yet, and shows errors', async () => {
    stubApi({
      'GET /api/v1/webhooks/endpoints/4': { body: endpoint },
      'GET /api/v1/webhooks/endpoints/4/deliveries': { body: [] },
      'POST /api/v1/webhooks/endpoints/4/test': { status: 403, body: { error: { code: 'permission_denied', message: 'admins only' } } },
    });
    renderWithProviders(
      <Routes><Route path="/alerts/webhooks/:endpointId" element={<EndpointRoute />} /></Routes>,
      { route: '/alerts/webhooks/4' },
    );
    expect(await screen.findByText(/Use “Send test event” above/, {}, { timeout: 5_000 })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Send test event' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('admins only');
  });
});
