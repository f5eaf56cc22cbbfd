import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';

export function renderWithProviders(ui: ReactElement, { route = '/' }: { route?: string } = {}) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity } },
  });
  return render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
    </QueryClientProvider>,
  );
}

/** Stubs global fetch so every call gets a fresh JSON Response. */
export function stubFetchJson(body: unknown, status = 200) {
  const fetchMock = vi.fn(
    async () =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

type Reply = { status?: number; body: unknown; headers?: Record<string, string> };
type Route = Reply | ((request: Request) => Reply);

/**
 * Stubs global fetch with per-endpoint replies keyed "METHOD /path" (query string ignored).
 * Unknown endpoints answer 404 with the API's error envelope, so a missing stub is visible.
 */
export function stubApi(routes: Record<string, Route>) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    const url = new URL(request.url);
    const route = routes[`${request.method} ${url.pathname}`];
    const reply: Reply = route
      ? typeof route === 'function'
        ? route(request)
        : route
      : { status: 404, body: { error: { code: 'not_stubbed', message: `${request.method} ${url.pathname} not stubbed` } } };
    return new Response(JSON.stringify(reply.body), {
      status: reply.status ?? 200,
      headers: { 'Content-Type': 'application/json', ...reply.headers },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

export const signedOut: Reply = {
  status: 403,
  body: { error: { code: 'not_authenticated', message: 'Authentication credentials were not provided.' } },
};

export const demoMe = {
  id: 1,
  email: 'demo@example.com',
  full_name: 'Demo User',
  is_staff: false,
  otp_enabled: false,
  active_tenant_id: 7,
  memberships: [
    { tenant_id: 7, tenant_name: 'Demo Capital', tenant_slug: 'demo-capital', tier: 'pro', role: 'owner' },
    { tenant_id: 8, tenant_name: 'Side Fund', tenant_slug: 'side-fund', tier: 'free', role: 'member' },
  ],
};

/** GET /api/v1/auth/session when signed out (200: the SPA's start-up probe never fails). */
export const sessionOut: Reply = { body: { authenticated: false, me: null } };

/** GET /api/v1/auth/session for a signed-in user (the demo user by default). */
export function sessionOf(me: typeof demoMe = demoMe): Reply {
  return { body: { authenticated: true, me } };
}
