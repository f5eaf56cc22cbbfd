import { Link, Route, Routes } from 'react-router';

import { AlertsTabs } from '@/features/alerts/components/alerts-tabs';
import { EndpointRoute } from '@/features/alerts/routes/endpoint-route';
import { RuleRoute } from '@/features/alerts/routes/rule-route';
import { RulesRoute } from '@/features/alerts/routes/rules-route';
import { SignalsRoute } from '@/features/alerts/routes/signals-route';
import { WebhooksRoute } from '@/features/alerts/routes/webhooks-route';
import { EmptyState } from '@/shared/components/loading';

/** Screens under /alerts/* (this feature owns its sub-routes), with tabs between them. */
export default function AlertsRoutes() {
  return (
    <section className="flex flex-col gap-3">
      <h2 className="text-xl font-semibold">Alerts</h2>
      <AlertsTabs />
      <Routes>
        <Route index element={<RulesRoute />} />
        <Route path="rules/:ruleId" element={<RuleRoute />} />
        <Route path="webhooks" element={<WebhooksRoute />} />
        <Route path="webhooks/:endpointId" element={<EndpointRoute />} />
        <Route path="signals" element={<SignalsRoute />} />
        <Route path="*" element={<EmptyState>No such alerts page. <Link to="/alerts">Back to your rules</Link>.</EmptyState>} />
      </Routes>
    </section>
  );
}
