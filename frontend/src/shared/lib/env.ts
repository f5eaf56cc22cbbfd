// Validates import.meta.env once, at module load (imported first by main.tsx),
// so a misconfigured build fails loudly instead of issuing odd requests.

export type Env = {
  /** Prefix for API requests, without trailing slash. '' = same origin. */
  API_URL: string;
  MODE: string;
};

export function parseEnv(raw: Partial<ImportMetaEnv>): Env {
  const apiUrl = (raw.VITE_API_URL ?? '').trim();
  if (apiUrl !== '' && !/^(https?:\/\/\S+|\/\S*)$/.test(apiUrl)) {
    throw new Error(
      `Invalid VITE_API_URL "${apiUrl}": use an http(s) URL or a path starting with "/" (leave empty for same origin).`,
    );
  }
  return { API_URL: apiUrl.replace(/\/+$/, ''), MODE: raw.MODE ?? 'production' };
}

export const env: Env = parseEnv(import.meta.env);
