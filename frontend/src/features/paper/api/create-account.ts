import { useMutation, useQueryClient } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type AccountInput = Schema<'AccountInRequest'>;

/** POST /api/v1/accounts */
export function useCreateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AccountInput) => unwrap(apiClient.POST('/api/v1/accounts', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: paperKeys.accounts }),
  });
}
