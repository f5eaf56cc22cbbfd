import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import type { Firing } from '@/features/alerts/api/get-firings';
import { PAGE_SIZE, alertKeys } from '@/features/alerts/api/keys';
import { usePushChannel } from '@/shared/ws/use-push-channel';

/** The `alerts` channel's payload (backend/alerts/services.firing_payload). */
type FiringPush = { firing: number; rule: number; name: string; message: string; fired_at_ms: number; values: unknown };

export function firingFromPush(data: unknown): Firing | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as Partial<FiringPush>;
  if (typeof d.firing !== 'number' || typeof d.rule !== 'number' || typeof d.fired_at_ms !== 'number') return null;
  return {
    id: d.firing,
    rule: d.rule,
    rule_name: d.name ?? '',
    fired_at: new Date(d.fired_at_ms).toISOString(),
    message: d.message ?? '',
    values: d.values ?? {},
  };
}

function prepend(queryClient: QueryClient, key: readonly unknown[], firing: Firing) {
  queryClient.setQueryData<Firing[]>(key, (rows) =>
    rows && !rows.some((r) => r.id === firing.id) ? [firing, ...rows].slice(0, PAGE_SIZE) : rows,
  );
}

/**
 * In-app firings pushed over /ws/v1 (`alerts` channel) go straight to the top of the newest
 * firings pages (all, and the rule's own) and refresh the rules' fired counts.
 * Returns how many arrived while mounted (for a "live" badge).
 */
export function useLiveFirings(): number {
  const queryClient = useQueryClient();
  const [received, setReceived] = useState(0);
  usePushChannel({ channel: 'alerts' }, (frame) => {
    if (frame.type !== 'update') return;
    const firing = firingFromPush(frame.data);
    if (!firing) return;
    prepend(queryClient, alertKeys.firingsPage(undefined), firing);
    prepend(queryClient, alertKeys.ruleFiringsPage(firing.rule, undefined), firing);
    void queryClient.invalidateQueries({ queryKey: alertKeys.rules });
    setReceived((n) => n + 1);
  });
  return received;
}
