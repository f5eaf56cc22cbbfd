/** Query keys of the settings screens (all under 'settings', so a tenant switch resets them). */
export const settingsKeys = {
  all: ['settings'] as const,
  members: ['settings', 'members'] as const,
  invitations: ['settings', 'invitations'] as const,
  apiKeys: ['settings', 'api-keys'] as const,
  audit: ['settings', 'audit'] as const,
  auditActions: ['settings', 'audit-actions'] as const,
  billing: ['settings', 'billing'] as const,
  totp: ['settings', 'totp'] as const,
};

/** Page sizes of the keyset-paged lists. */
export const INVITATIONS_PAGE = 20;
export const API_KEYS_PAGE = 20;
export const AUDIT_PAGE = 50;
