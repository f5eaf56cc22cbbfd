import { useQuery } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Account = Schema<'AccountOut'>;

/** GET /api/v1/accounts */
export function useAccounts() {
  return useQuery({
    queryKey: paperKeys.accounts,
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/accounts', { signal })),
  });
}
