import { env } from '@/shared/lib/env';

/** The backend's error envelope: {"error": {"code", "message"}}. */
export type ApiErrorEnvelope = { error: { code: string; message: string; detail?: unknown } };

function envelopeOf(body: unknown): ApiErrorEnvelope['error'] | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as Record<string, unknown>;
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  return error as ApiErrorEnvelope['error'];
}

function fieldMessages(detail: unknown): string[] {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return [];
  return Object.entries(detail).flatMap(([field, messages]) =>
    (Array.isArray(messages) ? messages : [])
      .filter((m): m is string => typeof m === 'string')
      .map((m) => (field === 'non_field_errors' ? m : `${field}: ${m}`)),
  );
}

/**
 * Thrown for any non-2xx HTTP response. `body` is parsed JSON when possible, else text.
 * When the body is the API's error envelope, `code` and `message` carry it verbatim, so
 * the UI can show users exactly what the API said.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly url: string;
  readonly code: string;
  /** Per-field messages of a 400 invalid_input ({"detail": {"email": ["..."]}}), flattened. */
  readonly fieldErrors: string[];

  constructor(status: number, body: unknown, url: string) {
    const envelope = envelopeOf(body);
    super(envelope?.message ?? `Request to ${url} failed with HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    this.url = url;
    this.code = envelope?.code ?? `http_${status}`;
    this.fieldErrors = fieldMessages(envelope?.detail);
  }
}

/** A human-readable message for any thrown value (ApiError message, network error, ...). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return `Network error: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

async function parseBody(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const text = await response.text();
  if (text === '') return null;
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Minimal fetch wrapper: same-origin credentials (Django session cookie), JSON in/out.
 * Network failures propagate as the fetch rejection (TypeError); HTTP errors as ApiError.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const url = `${env.API_URL}${path}`;
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }

  const response = await fetch(url, {
    method: options.method ?? 'GET',
    credentials: 'same-origin',
    headers,
    body,
    signal: options.signal,
  });

  const payload = await parseBody(response);
  if (!response.ok) throw new ApiError(response.status, payload, url);
  return payload as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body }),
};
