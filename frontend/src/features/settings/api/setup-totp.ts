import { useMutation } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/auth/totp/setup: a fresh authenticator secret (otpauth:// URI), unconfirmed until a code. */
export function useSetupTotp() {
  return useMutation({
    mutationFn: () => unwrap(apiClient.POST('/api/v1/auth/totp/setup')),
  });
}
