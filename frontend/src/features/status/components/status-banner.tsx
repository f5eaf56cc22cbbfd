import type { Readiness } from '@/features/status/api/get-readiness';

export function StatusBanner({ readiness }: { readiness: Readiness }) {
  const failing = Object.values(readiness.components).filter((c) => !c.ok).length;
  const ok = readiness.status === 'ok' && failing === 0;

  let message = 'All systems operational';
  if (!ok) {
    message =
      failing > 0 ? `${failing} component${failing === 1 ? '' : 's'} failing` : 'Platform not ready';
  }

  return (
    <div className={`banner ${ok ? 'banner-ok' : 'banner-fail'}`} role="status">
      {message}
    </div>
  );
}
