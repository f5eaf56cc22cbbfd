import { NavLink } from 'react-router';

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap border-b-2 px-3 py-1 ${isActive ? 'border-accent font-semibold text-fg' : 'border-transparent text-muted hover:text-fg'}`;

export function AlertsTabs() {
  return (
    <nav aria-label="Alerts sections" className="-mx-1 flex gap-1 overflow-x-auto border-b border-border text-sm">
      <NavLink to="/alerts" end className={tabClass}>Rules and firings</NavLink>
      <NavLink to="/alerts/webhooks" className={tabClass}>Webhooks</NavLink>
      <NavLink to="/alerts/signals" className={tabClass}>Inbound signals</NavLink>
    </nav>
  );
}
