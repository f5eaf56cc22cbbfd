import type { Scope } from '@/features/settings/api/get-api-keys';

/** Every scope the API knows (ScopesEnum): a new scope fails the type check until it is described here. */
export const SCOPE_HELP: Record<Scope, string> = {
  read: 'read market data, accounts, orders and results',
  trade: 'place and cancel orders, run backtests and deployments',
  admin: 'manage API keys, read the audit log and billing',
};

export const SCOPES = Object.keys(SCOPE_HELP) as Scope[];
