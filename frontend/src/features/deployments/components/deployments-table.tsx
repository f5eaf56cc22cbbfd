import { Link } from 'react-router';

import { useDeployAccounts } from '@/features/deployments/api/get-accounts';
import type { Deployment } from '@/features/deployments/api/types';
import { formatPnl, isMarketplace, netPnl, pnlClass, strategyLabel } from '@/features/deployments/components/format';
import { DeploymentStatusBadge, StatusControls } from '@/features/deployments/components/status';
import { EmptyState } from '@/shared/components/loading';

export function DeploymentsTable({ deployments }: { deployments: Deployment[] }) {
  const accounts = useDeployAccounts();
  const accountName = (id: number) => accounts.data?.find((a) => a.id === id)?.name ?? `#${id}`;
  if (deployments.length === 0) {
    return (
      <EmptyState>
        No deployments yet. <Link to="/deployments/new">Deploy a strategy</Link> on a paper account: a built-in one,
        or one you subscribed to on the <Link to="/marketplace">marketplace</Link>.
      </EmptyState>
    );
  }
  return (
    <div className="relative overflow-x-auto">
      <table className="table-basic w-full text-sm" aria-label="Deployments">
        <thead>
          <tr>
            <th>Name</th><th>Strategy</th><th>Market</th><th>Interval</th><th>Account</th><th>Status</th>
            <th className="!text-right">P&amp;L</th><th><span className="sr-only">Controls</span></th>
          </tr>
        </thead>
        <tbody>
          {deployments.map((d) => {
            const pnl = netPnl(d);
            return (
              <tr key={d.id}>
                <td><Link to={`/deployments/${d.id}`}>{d.name}</Link></td>
                <td className="text-xs">
                  {strategyLabel(d.members)}
                  {isMarketplace(d.members) && <span className="ml-1 rounded border border-border px-1 text-muted">marketplace</span>}
                </td>
                <td>{d.symbol} <span className="text-muted">{d.exchange}</span></td>
                <td>{d.interval}</td>
                <td><Link to={`/paper/${d.account}`}>{accountName(d.account)}</Link></td>
                <td>
                  <DeploymentStatusBadge deployment={d} />
                  {d.error && <div className="max-w-xs text-xs text-muted">{d.error.message}</div>}
                </td>
                <td className={`text-right font-mono ${pnlClass(pnl)}`} title="realized − fees + unrealized">{formatPnl(pnl)}</td>
                <td><StatusControls deployment={d} compact /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
