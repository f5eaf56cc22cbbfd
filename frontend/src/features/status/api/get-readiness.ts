import { queryOptions, useQuery } from '@tanstack/react-query';

import { ApiError, api } from '@/shared/api/http';

export type ComponentHealth = {
  ok: boolean;
  latency_ms: number | null;
  detail: string;
};

export type Readiness = {
  status: 'ok' | 'fail';
  checked_at: string;
  components: Record<string, ComponentHealth>;
};

export const READINESS_POLL_INTERVAL_MS = 5_000;

function isReadiness(value: unknown): value is Readiness {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.status === 'ok' || v.status === 'fail') &&
    typeof v.components === 'object' &&
    v.components !== null
  );
}

/**
 * GET /readyz. The backend answers 503 with the same JSON shape when any
 * component fails: that is a valid report to render, not a fetch failure.
 */
export async function getReadiness({ signal }: { signal?: AbortSignal } = {}): Promise<Readiness> {
  try {
    const body = await api.get<unknown>('/readyz', { signal });
    if (!isReadiness(body)) throw new Error('Unexpected /readyz response shape');
    return body;
  } catch (error) {
    if (error instanceof ApiError && error.status === 503 && isReadiness(error.body)) {
      return error.body;
    }
    throw error;
  }
}

export const getReadinessQueryOptions = () =>
  queryOptions({
    queryKey: ['readiness'],
    queryFn: ({ signal }) => getReadiness({ signal }),
    refetchInterval: READINESS_POLL_INTERVAL_MS,
  });

export function useReadiness() {
  return useQuery(getReadinessQueryOptions());
}
