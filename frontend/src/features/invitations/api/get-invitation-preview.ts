import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type InvitationPreview = Schema<'InvitationPreviewOut'>;

/** GET /api/v1/invitations/accept?token=…: tenant, role and invited email; works signed out. */
export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: ['invitations', 'preview', token],
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/invitations/accept', { params: { query: { token } }, signal })),
    enabled: token !== '',
    staleTime: Infinity,
  });
}
