import { useMutation, useQueryClient } from '@tanstack/react-query';

import { settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/auth/totp/confirm: a current code turns two-factor sign-in on. */
export function useConfirmTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => unwrap(apiClient.POST('/api/v1/auth/totp/confirm', { body: { token } })),
    onSuccess: () => Promise.all([
      queryClient.invalidateQueries({ queryKey: settingsKeys.totp }),
      queryClient.invalidateQueries({ queryKey: ['me'] }),
    ]),
  });
}
