import { Suspense, lazy } from 'react';
import { Route, Routes } from 'react-router';

import { Loading } from '@/shared/components/loading';

// Each screen is its own chunk: the list does not pull in the form or ECharts.
const DeploymentsListRoute = lazy(() => import('@/features/deployments/routes/deployments-list-route'));
const DeploymentNewRoute = lazy(() => import('@/features/deployments/routes/deployment-new-route'));
const DeploymentDetailRoute = lazy(() => import('@/features/deployments/routes/deployment-detail-route'));

/** Screens under /deployments/* (this feature owns its sub-routes). */
export default function DeploymentsRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route index element={<DeploymentsListRoute />} />
        <Route path="new" element={<DeploymentNewRoute />} />
        <Route path=":deploymentId" element={<DeploymentDetailRoute />} />
      </Routes>
    </Suspense>
  );
}
