import { useQuery } from '@tanstack/react-query';

import { deploymentKeys } from '@/features/deployments/api/keys';
import type { CatalogueEntry } from '@/features/deployments/api/types';
import { apiClient, unwrap } from '@/shared/api/client';

/**
 * GET /api/v1/strategies/catalogue: the built-ins, then the marketplace listings this tenant is entitled to.
 * `fresh`: re-read even when cached (arriving from a subscription, the cached copy may predate it).
 */
export function useCatalogue({ fresh = false }: { fresh?: boolean } = {}) {
  return useQuery({
    queryKey: deploymentKeys.catalogue,
    queryFn: async ({ signal }) =>
      (await unwrap(apiClient.GET('/api/v1/strategies/catalogue', { signal }))) as unknown as CatalogueEntry[],
    staleTime: fresh ? 0 : 60_000,
  });
}
