import type { Role } from '@/features/settings/api/get-session';

/** Every role the API knows (RoleEnum), with what it may do: a new role fails the type check here. */
export const ROLE_HELP: Record<Role, string> = {
  owner: 'everything, including members, invitations and billing',
  admin: 'API keys, audit log and billing, plus trading',
  trader: 'paper trading, backtests, deployments and alerts',
  viewer: 'read-only access',
};

export const ROLES = Object.keys(ROLE_HELP) as Role[];
