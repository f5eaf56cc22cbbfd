import { useMutation, useQueryClient } from '@tanstack/react-query';

import { publisherKeys } from '@/features/publisher/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/marketplace/my-versions/{id}/yank: withdraw a published version (its deployments pause). */
export function useYankVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(apiClient.POST('/api/v1/marketplace/my-versions/{id}/yank', { params: { path: { id: String(id) } } })),
    onSuccess: (version) => {
      queryClient.setQueryData(publisherKeys.version(version.id), version);
      void queryClient.invalidateQueries({ queryKey: publisherKeys.versions(version.listing) });
      void queryClient.invalidateQueries({ queryKey: publisherKeys.listing(version.listing) });
    },
  });
}
