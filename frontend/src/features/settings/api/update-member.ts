import { useMutation, useQueryClient } from '@tanstack/react-query';

import { settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

/** PATCH /api/v1/members/{id}: change a member's role (owner; the last owner stays). */
export function useUpdateMemberRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: number; role: Schema<'RoleEnum'> }) =>
      unwrap(apiClient.PATCH('/api/v1/members/{id}', { params: { path: { id: String(id) } }, body: { role } })),
    onSuccess: () => Promise.all([
      queryClient.invalidateQueries({ queryKey: settingsKeys.members }),
      queryClient.invalidateQueries({ queryKey: ['me'] }),
    ]),
  });
}
