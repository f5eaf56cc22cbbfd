import { useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { useAccounts } from '@/features/paper/api/get-accounts';
import { AccountForm } from '@/features/paper/components/account-form';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { formatDecimal } from '@/shared/format/decimal';

export function AccountsRoute() {
  const accounts = useAccounts();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);

  return (
    <section className="flex flex-col gap-3">
      <div className="flex items-center justify-between">
        <h2 className="text-xl font-semibold">Paper accounts</h2>
        <button type="button" className="btn" onClick={() => setCreating((v) => !v)}>{creating ? 'Close' : 'New account'}</button>
      </div>
      {creating && <AccountForm onCreated={(account) => navigate(`/paper/${account.id}`)} />}
      {accounts.isPending && <Loading />}
      <ErrorMessage error={accounts.error} />
      {accounts.data?.length === 0 && <EmptyState>No paper accounts yet. Create one to start trading with simulated money.</EmptyState>}
      {accounts.data && accounts.data.length > 0 && (
        <div className="card overflow-x-auto p-0">
          <table className="table-basic w-full text-sm" aria-label="Accounts">
            <thead>
              <tr><th>Name</th><th>Exchange</th><th className="text-right">Starting balance</th><th className="text-right">Fees (maker/taker)</th><th>State</th></tr>
            </thead>
            <tbody>
              {accounts.data.map((a) => (
                <tr key={a.id}>
                  <td><Link to={`/paper/${a.id}`}>{a.name}</Link></td>
                  <td className="text-muted">{a.exchange}</td>
                  <td className="text-right font-mono">{formatDecimal(a.starting_balance)} {a.currency}</td>
                  <td className="text-right font-mono">{a.maker_fee} / {a.taker_fee}</td>
                  <td>{a.kill_switch ? 'kill switch on' : a.breaker_tripped ? 'breaker tripped' : 'active'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export default AccountsRoute;
