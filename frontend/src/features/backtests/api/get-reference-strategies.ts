import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

/** The schema types each param as a free-form object; this is what the endpoint sends. */
export type StrategyParam = {
  name: string;
  type: 'int' | 'float';
  default: number;
  min?: number;
  max?: number;
  description?: string;
};
export type ReferenceStrategy = Omit<Schema<'ReferenceStrategy'>, 'params'> & { params: StrategyParam[] };

/** GET /api/v1/strategies/reference */
export function useReferenceStrategies() {
  return useQuery({
    queryKey: ['strategies', 'reference'],
    queryFn: async ({ signal }) =>
      (await unwrap(apiClient.GET('/api/v1/strategies/reference', { signal }))) as unknown as ReferenceStrategy[],
    staleTime: Infinity,
  });
}
