import { useMutation, useQueryClient } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type RuleInput = Schema<'RuleRequest'>;

/** POST /api/v1/alerts/rules */
export function useCreateRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RuleInput) => unwrap(apiClient.POST('/api/v1/alerts/rules', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.rules }),
  });
}
