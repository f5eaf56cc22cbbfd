import { useMutation, useQueryClient } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type RulePatch = Schema<'PatchedRuleRequest'>;

/** PATCH /api/v1/alerts/rules/{id} (edit, enable/disable) */
export function useUpdateRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: RulePatch }) =>
      unwrap(apiClient.PATCH('/api/v1/alerts/rules/{id}', { params: { path: { id: String(id) } }, body: patch })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.rules }),
  });
}
