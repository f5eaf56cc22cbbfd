import { useQuery } from '@tanstack/react-query';

import { settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/auth/totp: is two-factor sign-in on for me? */
export function useTotpStatus() {
  return useQuery({
    queryKey: settingsKeys.totp,
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/auth/totp', { signal })),
  });
}
