import { parseEnv } from '@/shared/lib/env';

describe('parseEnv', () => {
  it('defaults to same origin and strips trailing slashes', () => {
    expect(parseEnv({ MODE: 'test' }).API_URL).toBe('');
    expect(parseEnv({ MODE: 'test', VITE_API_URL: 'https://api.example.test/' }).API_URL).toBe(
      'https://api.example.test',
    );
  });

  it('rejects a malformed VITE_API_URL', () => {
    expect(() => parseEnv({ MODE: 'test', VITE_API_URL: 'api.example.test' })).toThrow(/VITE_API_URL/);
  });
});
