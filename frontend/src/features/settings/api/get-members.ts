import { useQuery } from '@tanstack/react-query';

import { settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Member = Schema<'MembershipOut'>;

/** GET /api/v1/members: everyone in the tenant with their role (any role may read). */
export function useMembers() {
  return useQuery({
    queryKey: settingsKeys.members,
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/members', { signal })),
  });
}
