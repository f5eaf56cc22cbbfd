import { useMutation, useQueryClient } from '@tanstack/react-query';

import { defaultTenantOf, meQueryKey } from '@/features/auth/api/get-me';
import { apiClient, unwrap } from '@/shared/api/client';
import { forgetCsrfToken } from '@/shared/api/csrf';
import type { Schema } from '@/shared/api/types';
import { setActiveTenant } from '@/shared/tenant/tenant-store';

export type LoginInput = Schema<'LoginInRequest'>;

/** POST /api/v1/auth/login. 401 otp_required means: ask for the TOTP code and resend. */
export function login(input: LoginInput) {
  return unwrap(apiClient.POST('/api/v1/auth/login', { body: input }));
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (me) => {
      // Django rotated the CSRF token on login; the cookie now has the new one.
      forgetCsrfToken();
      // Pick the tenant before any screen fetches, so no request carries a previous user's X-Tenant.
      setActiveTenant(defaultTenantOf(me));
      queryClient.setQueryData(meQueryKey, me);
    },
  });
}
