import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { INVITATIONS_PAGE, settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Invitation = Schema<'InvitationOut'>;

/** GET /api/v1/invitations?status=pending, newest first; `before` = the last id of the previous page. */
export function usePendingInvitations(before: number | undefined, { enabled = true } = {}) {
  return useQuery({
    queryKey: [...settingsKeys.invitations, 'pending', before ?? null],
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/invitations', {
        params: { query: { status: 'pending', limit: INVITATIONS_PAGE, before } },
        signal,
      })),
    enabled,
    // The page on screen stays while the next one loads (no flash of an empty table).
    placeholderData: keepPreviousData,
  });
}
