import { useMutation } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/auth/password-reset: emails a link to /reset-password?uid=…&token=… */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) => unwrap(apiClient.POST('/api/v1/auth/password-reset', { body: { email } })),
  });
}

/** POST /api/v1/auth/password-reset/confirm */
export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: (input: { uid: string; token: string; new_password: string }) =>
      unwrap(apiClient.POST('/api/v1/auth/password-reset/confirm', { body: input })),
  });
}
