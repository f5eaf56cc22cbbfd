import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { API_KEYS_PAGE, settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type ApiKey = Schema<'ApiKeyOut'>;
export type Scope = Schema<'ScopesEnum'>;

/** GET /api/v1/api-keys (admin), newest first, revoked ones included. */
export function useApiKeys(before: number | undefined, { enabled = true } = {}) {
  return useQuery({
    queryKey: [...settingsKeys.apiKeys, before ?? null],
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/api-keys', { params: { query: { limit: API_KEYS_PAGE, before } }, signal })),
    enabled,
    // The page on screen stays while the next one loads (no flash of an empty table).
    placeholderData: keepPreviousData,
  });
}
