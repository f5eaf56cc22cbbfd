import { useQuery } from '@tanstack/react-query';

import { marketplaceKeys } from '@/features/marketplace/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Facets = Schema<'FacetsOut'>;

/** GET /api/v1/marketplace/facets: the values the catalogue's filters can take, with counts. */
export function useFacets() {
  return useQuery({
    queryKey: marketplaceKeys.facets,
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/marketplace/facets', { signal })),
    staleTime: 60_000,
  });
}
