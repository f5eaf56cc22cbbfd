import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router';

import { TenantSwitcher } from '@/features/auth/components/tenant-switcher';
import { UserMenu } from '@/features/auth/components/user-menu';
import { Loading } from '@/shared/components/loading';
import { ThemeToggle } from '@/shared/theme/theme-toggle';

const navLinkClass = ({ isActive }: { isActive: boolean }) =>
  isActive ? 'text-fg font-semibold' : 'text-muted hover:text-fg';

export function RootLayout() {
  return (
    <div className="min-h-screen bg-bg text-fg">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-border bg-panel px-4 py-2">
        <div className="flex flex-wrap items-center gap-4">
          <h1 className="text-lg font-bold">Quant-Trader</h1>
          <nav className="flex flex-wrap gap-3 text-sm" aria-label="Main">
            <NavLink to="/markets" className={navLinkClass}>Markets</NavLink>
            <NavLink to="/paper" className={navLinkClass}>Paper trading</NavLink>
            <NavLink to="/backtests" className={navLinkClass}>Backtests</NavLink>
            <NavLink to="/marketplace" className={navLinkClass}>Marketplace</NavLink>
            <NavLink to="/deployments" className={navLinkClass}>Deployments</NavLink>
            <NavLink to="/alerts" className={navLinkClass}>Alerts</NavLink>
            <NavLink to="/publisher" className={navLinkClass}>Publisher</NavLink>
            <NavLink to="/settings" className={navLinkClass}>Settings</NavLink>
            <NavLink to="/status" className={navLinkClass}>Status</NavLink>
            {/* Served by Django, not the SPA: plain link for a full page load. */}
            <a href="/api/docs/" className="text-muted hover:text-fg">API docs</a>
          </nav>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <TenantSwitcher />
          <UserMenu />
          <ThemeToggle />
        </div>
      </header>
      <main className="mx-auto max-w-[1400px] p-4">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
