import { Link, useNavigate, useSearchParams } from 'react-router';

import { DeploymentForm } from '@/features/deployments/components/deployment-form';

export function DeploymentNewRoute() {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  return (
    <section className="flex flex-col gap-3">
      <p className="text-sm"><Link to="/deployments">← Deployments</Link></p>
      <h2 className="text-xl font-semibold">New deployment</h2>
      <DeploymentForm listing={search.get('listing')} onCreated={(d) => navigate(`/deployments/${d.id}`)} />
    </section>
  );
}

export default DeploymentNewRoute;
