import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

/** PATCH /api/v1/tenants/{id} (owner): rename the tenant; the switcher reads the name from /me. */
export function useRenameTenant() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, name }: { id: number; name: string }) =>
      unwrap(apiClient.PATCH('/api/v1/tenants/{id}', { params: { path: { id: String(id) } }, body: { name } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me'] }),
  });
}
