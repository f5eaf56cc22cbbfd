/** Query keys of the alerts feature; mutations and push frames invalidate them by prefix. */
export const alertKeys = {
  rules: ['alerts', 'rules'] as const,
  rulesPage: (before: number | undefined) => ['alerts', 'rules', 'page', before ?? null] as const,
  rule: (id: number) => ['alerts', 'rules', 'one', id] as const,
  firings: ['alerts', 'firings'] as const,
  firingsPage: (before: number | undefined) => ['alerts', 'firings', 'all', before ?? null] as const,
  ruleFiringsPage: (ruleId: number, before: number | undefined) => ['alerts', 'firings', 'rule', ruleId, before ?? null] as const,
  endpoints: ['webhooks', 'endpoints'] as const,
  endpoint: (id: number) => ['webhooks', 'endpoints', 'one', id] as const,
  deliveries: ['webhooks', 'deliveries'] as const,
  deliveriesPage: (before: number | undefined) => ['webhooks', 'deliveries', 'all', before ?? null] as const,
  endpointDeliveriesPage: (endpointId: number, before: number | undefined) =>
    ['webhooks', 'deliveries', 'endpoint', endpointId, before ?? null] as const,
  signalEndpoints: ['signals', 'endpoints'] as const,
  signals: (endpointId: number) => ['signals', 'endpoints', endpointId, 'signals'] as const,
};

export const PAGE_SIZE = 20;
