import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/invitations/accept: the signed-in user (the invited email) joins the tenant. */
export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => unwrap(apiClient.POST('/api/v1/invitations/accept', { body: { token } })),
    // The new membership shows in the tenant switcher.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me'] }),
  });
}
