import { ApiError, api, errorMessage } from '@/shared/api/http';

function jsonResponse(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('api client', () => {
  it('sends same-origin credentials and JSON accept header, returns parsed JSON', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse({ hello: 'world' }, 200));
    vi.stubGlobal('fetch', fetchMock);

    await expect(api.get('/api/thing')).resolves.toEqual({ hello: 'world' });

    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/thing');
    expect(init.credentials).toBe('same-origin');
    expect(init.method).toBe('GET');
    expect((init.headers as Record<string, string>).Accept).toBe('application/json');
  });

  it('throws ApiError carrying status and parsed body on non-2xx', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse({ detail: 'nope' }, 403)));

    const error = await api.post('/api/orders', { qty: 1 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(403);
    expect((error as ApiError).body).toEqual({ detail: 'nope' });
  });
});

describe('ApiError', () => {
  it('carries the API error envelope code and message', () => {
    const error = new ApiError(422, { error: { code: 'lot_size', message: 'qty below the lot size' } }, '/x');
    expect(error.code).toBe('lot_size');
    expect(error.message).toBe('qty below the lot size');
    expect(errorMessage(error)).toBe('qty below the lot size');
  });

  it('falls back to the HTTP status when the body is not an envelope', () => {
    const error = new ApiError(502, 'Bad gateway', '/x');
    expect(error.code).toBe('http_502');
    expect(error.message).toContain('HTTP 502');
  });
});

describe('ApiError field errors', () => {
  it('flattens the invalid_input detail into readable lines', () => {
    const error = new ApiError(
      400,
      { error: { code: 'invalid_input', message: 'The request has invalid fields.', detail: { email: ['Enter a valid email address.'], non_field_errors: ['Bad.'], tier: 'pro' } } },
      '/x',
    );
    expect(error.message).toBe('The request has invalid fields.');
    expect(error.fieldErrors).toEqual(['email: Enter a valid email address.', 'Bad.']);
  });
});
