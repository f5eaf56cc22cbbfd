/** Query keys for one account's trading state; WS messages invalidate them by prefix. */
export const paperKeys = {
  accounts: ['paper', 'accounts'] as const,
  account: (accountId: number) => ['paper', 'account', accountId] as const,
  orders: (accountId: number) => ['paper', 'account', accountId, 'orders'] as const,
  fills: (accountId: number) => ['paper', 'account', accountId, 'fills'] as const,
  positions: (accountId: number) => ['paper', 'account', accountId, 'positions'] as const,
  balances: (accountId: number) => ['paper', 'account', accountId, 'balances'] as const,
  equity: (accountId: number) => ['paper', 'account', accountId, 'equity'] as const,
};
