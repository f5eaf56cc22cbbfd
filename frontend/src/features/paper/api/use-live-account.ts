import { useQueryClient } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { usePushChannel } from '@/shared/ws/use-push-channel';

type AccountScoped = { account?: number; account_id?: number };

/**
 * Private WS channels carry the paper engine's payloads for the whole tenant; refetching the
 * touched lists (rather than patching caches) keeps one source of truth: the REST shapes.
 */
export function useLiveAccount(accountId: number) {
  const queryClient = useQueryClient();
  const refresh = (key: readonly unknown[]) => (frame: { data: unknown }) => {
    const data = (frame.data ?? {}) as AccountScoped;
    const owner = data.account ?? data.account_id;
    if (owner !== undefined && owner !== accountId) return;
    void queryClient.invalidateQueries({ queryKey: key });
  };
  usePushChannel({ channel: 'orders' }, refresh(paperKeys.orders(accountId)));
  usePushChannel({ channel: 'fills' }, (frame) => {
    refresh(paperKeys.fills(accountId))(frame);
    refresh(paperKeys.positions(accountId))(frame);
    refresh(paperKeys.balances(accountId))(frame);
  });
  usePushChannel({ channel: 'positions' }, refresh(paperKeys.positions(accountId)));
  usePushChannel({ channel: 'balances' }, refresh(paperKeys.account(accountId)));
}
