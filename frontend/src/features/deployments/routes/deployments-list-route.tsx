import { Link } from 'react-router';

import { DEPLOYMENTS_PAGE, useDeployments } from '@/features/deployments/api/get-deployments';
import { useLiveDeployments } from '@/features/deployments/api/use-live-deployments';
import { DeploymentsTable } from '@/features/deployments/components/deployments-table';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';

export function DeploymentsListRoute() {
  const pages = useKeysetPages();
  const deployments = useDeployments(pages.before);
  useLiveDeployments();
  const rows = deployments.data ?? [];
  const lastId = rows[rows.length - 1]?.id;

  return (
    <section className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">Deployments</h2>
        <Link to="/deployments/new" className="btn-primary hover:no-underline">New deployment</Link>
      </div>
      <p className="text-sm text-muted">Strategies trading live on your paper accounts. P&amp;L counts each deployment's own fills and open position.</p>
      <div className="card flex flex-col gap-2">
        {deployments.isPending && <Loading label="Loading deployments…" />}
        <ErrorMessage error={deployments.error} />
        {deployments.data && <DeploymentsTable deployments={rows} />}
        <Pager page={pages.page} hasOlder={rows.length >= DEPLOYMENTS_PAGE && lastId !== undefined}
          onNewer={pages.newer} onOlder={() => lastId !== undefined && pages.older(lastId)} label="Deployment pages" />
      </div>
    </section>
  );
}

export default DeploymentsListRoute;
