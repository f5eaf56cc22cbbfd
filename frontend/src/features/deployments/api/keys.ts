/** Query keys of the deployments feature; the live channel invalidates them by prefix. */
export const deploymentKeys = {
  all: ['deployments'] as const,
  list: (before: number | undefined) => ['deployments', 'list', before ?? null] as const,
  lists: ['deployments', 'list'] as const,
  detail: (id: number) => ['deployments', 'detail', id] as const,
  signals: (id: number) => ['deployments', 'detail', id, 'signals'] as const,
  performance: (id: number) => ['deployments', 'detail', id, 'performance'] as const,
  catalogue: ['strategies', 'catalogue'] as const,
};
