import { useMutation, useQueryClient } from '@tanstack/react-query';

import { settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/auth/totp/disable: needs the password and a current code. */
export function useDisableTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { password: string; token: string }) =>
      unwrap(apiClient.POST('/api/v1/auth/totp/disable', { body: input })),
    onSuccess: () => Promise.all([
      queryClient.invalidateQueries({ queryKey: settingsKeys.totp }),
      queryClient.invalidateQueries({ queryKey: ['me'] }),
    ]),
  });
}
