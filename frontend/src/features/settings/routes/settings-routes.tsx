import { Navigate, NavLink, Route, Routes } from 'react-router';

import { useActiveMembership } from '@/features/settings/api/get-session';
import { ApiKeysRoute } from '@/features/settings/routes/api-keys-route';
import { AuditRoute } from '@/features/settings/routes/audit-route';
import { MembersRoute } from '@/features/settings/routes/members-route';
import { PlanRoute } from '@/features/settings/routes/plan-route';
import { SecurityRoute } from '@/features/settings/routes/security-route';

const TABS = [
  { to: '/settings/members', label: 'Members' },
  { to: '/settings/api-keys', label: 'API keys' },
  { to: '/settings/plan', label: 'Plan and usage' },
  { to: '/settings/audit', label: 'Audit log' },
  { to: '/settings/security', label: 'Security' },
] as const;

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap border-b-2 px-3 py-2 text-sm ${isActive ? 'border-accent font-semibold text-fg' : 'border-transparent text-muted hover:text-fg'}`;

/** Screens under /settings/*: tenant administration (tabs) and the user's own security. */
export default function SettingsRoutes() {
  const { membership } = useActiveMembership();
  return (
    <section className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-xl font-semibold">Settings</h2>
        {membership && (
          <p className="text-sm text-muted">
            {membership.tenant_name} · you are <span className="font-medium text-fg">{membership.role}</span> · {membership.tier} tier
          </p>
        )}
      </div>
      <nav aria-label="Settings sections" className="-mx-1 flex overflow-x-auto border-b border-border">
        {TABS.map((tab) => <NavLink key={tab.to} to={tab.to} className={tabClass}>{tab.label}</NavLink>)}
      </nav>
      <Routes>
        <Route index element={<Navigate to="/settings/members" replace />} />
        <Route path="members" element={<MembersRoute />} />
        <Route path="api-keys" element={<ApiKeysRoute />} />
        <Route path="plan" element={<PlanRoute />} />
        <Route path="audit" element={<AuditRoute />} />
        <Route path="security" element={<SecurityRoute />} />
        <Route path="*" element={<Navigate to="/settings/members" replace />} />
      </Routes>
    </section>
  );
}
