import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import { forgetCsrfToken } from '@/shared/api/csrf';
import { setActiveTenant } from '@/shared/tenant/tenant-store';

/** POST /api/v1/auth/logout */
export function logout() {
  return unwrap(apiClient.POST('/api/v1/auth/logout'));
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSuccess: () => {
      forgetCsrfToken();
      setActiveTenant(null);
      // Everything cached belonged to the signed-in user.
      queryClient.clear();
      queryClient.setQueryData(['me'], null);
    },
  });
}
