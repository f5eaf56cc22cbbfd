import { useMutation, useQueryClient } from '@tanstack/react-query';

import { settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type InvitationInput = Schema<'InvitationInRequest'>;

/** POST /api/v1/invitations (owner): the invitee gets an email with a link to /invitations/accept. */
export function useCreateInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InvitationInput) => unwrap(apiClient.POST('/api/v1/invitations', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.invitations }),
  });
}
