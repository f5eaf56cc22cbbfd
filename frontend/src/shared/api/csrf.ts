import { env } from '@/shared/lib/env';

const CSRF_COOKIE = 'csrftoken';
let fetchedToken: string | null = null;

function readCookie(name: string): string | null {
  const match = document.cookie.split('; ').find((part) => part.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : null;
}

/**
 * Django rotates the CSRF token at login, so the cookie (always current) wins over
 * a token we fetched earlier; the fetch only bootstraps a first visit.
 */
export async function csrfToken(): Promise<string> {
  const fromCookie = readCookie(CSRF_COOKIE);
  if (fromCookie) return fromCookie;
  if (fetchedToken) return fetchedToken;
  const response = await fetch(`${env.API_URL}/api/v1/auth/csrf`, { credentials: 'same-origin' });
  const body = (await response.json()) as { csrf_token: string };
  fetchedToken = body.csrf_token;
  return fetchedToken;
}

export function forgetCsrfToken(): void {
  fetchedToken = null;
}
