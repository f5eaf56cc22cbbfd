import { useMutation, useQueryClient } from '@tanstack/react-query';

import { defaultTenantOf, meQueryKey } from '@/features/auth/api/get-me';
import { apiClient, unwrap } from '@/shared/api/client';
import { forgetCsrfToken } from '@/shared/api/csrf';
import type { Schema } from '@/shared/api/types';
import { setActiveTenant } from '@/shared/tenant/tenant-store';

export type SignUpInput = Schema<'SignUpInRequest'>;

/** POST /api/v1/auth/signup: creates the user and a first tenant, and signs in. */
export function useSignUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SignUpInput) => unwrap(apiClient.POST('/api/v1/auth/signup', { body: input })),
    onSuccess: (me) => {
      forgetCsrfToken();
      // Pick the tenant before any screen fetches, so no request carries a previous user's X-Tenant.
      setActiveTenant(defaultTenantOf(me));
      queryClient.setQueryData(meQueryKey, me);
    },
  });
}
