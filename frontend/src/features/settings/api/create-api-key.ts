import { useMutation, useQueryClient } from '@tanstack/react-query';

import { settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type ApiKeyInput = Schema<'ApiKeyInRequest'>;
export type CreatedApiKey = Schema<'ApiKeyCreatedOut'>;

/** POST /api/v1/api-keys (admin). The answer carries the full key: the only time it is ever sent. */
export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiKeyInput) => unwrap(apiClient.POST('/api/v1/api-keys', { body: input })),
    onSuccess: () => Promise.all([
      queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys }),
      queryClient.invalidateQueries({ queryKey: settingsKeys.audit }),
      queryClient.invalidateQueries({ queryKey: settingsKeys.auditActions }),
    ]),
  });
}
