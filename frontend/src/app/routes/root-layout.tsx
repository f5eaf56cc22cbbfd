import { NavLink, Outlet } from 'react-router';

export function RootLayout() {
  return (
    <div className="shell">
      <header className="topbar">
        <h1 className="brand">Quant-Trader</h1>
        <nav className="nav">
          <NavLink to="/status">Status</NavLink>
          {/* Served by Django, not the SPA: plain link for a full page load. */}
          <a href="/api/docs/">API docs</a>
        </nav>
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
