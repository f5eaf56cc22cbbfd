import { useState } from 'react';
import { Link, useParams } from 'react-router';

import { useAccount } from '@/features/paper/api/get-account';
import { useLiveAccount } from '@/features/paper/api/use-live-account';
import { AccountActions } from '@/features/paper/components/account-actions';
import { BalancesTable } from '@/features/paper/components/balances-table';
import { EquityChart } from '@/features/paper/components/equity-chart';
import { FillsTable } from '@/features/paper/components/fills-table';
import { OpenOrdersTable } from '@/features/paper/components/open-orders-table';
import { OrderHistoryTable } from '@/features/paper/components/order-history-table';
import { OrderTicket } from '@/features/paper/components/order-ticket';
import { PositionsTable } from '@/features/paper/components/positions-table';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="card flex flex-col gap-2" aria-label={title}>
      <h3 className="font-semibold">{title}</h3>
      {children}
    </section>
  );
}

/** Every order with its outcome; loaded on demand (it spares the tier's request budget on each visit). */
function OrderHistory({ accountId }: { accountId: number }) {
  const [open, setOpen] = useState(false);
  return (
    <section className="card flex flex-col gap-2" aria-label="Order history">
      <div className="flex items-center justify-between gap-2">
        <h3 className="font-semibold">Order history</h3>
        <button type="button" className="btn text-xs" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
          {open ? 'Hide' : 'Show all orders'}
        </button>
      </div>
      {open && <OrderHistoryTable accountId={accountId} />}
    </section>
  );
}

export function AccountRoute() {
  const accountId = Number(useParams().accountId);
  const account = useAccount(accountId);
  useLiveAccount(accountId);

  if (account.isPending) return <Loading />;
  if (account.error) return <ErrorMessage error={account.error} />;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-baseline gap-3">
          <Link to="/paper" className="text-sm text-muted">← Accounts</Link>
          <h2 className="text-xl font-semibold">{account.data.name}</h2>
          <span className="text-xs text-muted">{account.data.exchange} · {account.data.currency}</span>
          {account.data.breaker_tripped && <span className="text-xs text-down">risk breaker tripped</span>}
        </div>
        <AccountActions accountId={accountId} />
      </div>
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-[300px_1fr]">
        <OrderTicket accountId={accountId} exchange={account.data.exchange} />
        <div className="flex min-w-0 flex-col gap-3">
          <Panel title="Positions"><PositionsTable accountId={accountId} exchange={account.data.exchange} /></Panel>
          <Panel title="Balances"><BalancesTable accountId={accountId} /></Panel>
          <Panel title="Equity"><EquityChart accountId={accountId} /></Panel>
        </div>
      </div>
      <Panel title="Open orders"><OpenOrdersTable accountId={accountId} /></Panel>
      <Panel title="Fills"><FillsTable accountId={accountId} /></Panel>
      <OrderHistory accountId={accountId} />
    </div>
  );
}

export default AccountRoute;
