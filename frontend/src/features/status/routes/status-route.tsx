import { ComponentsTable } from '@/features/status/components/components-table';
import { StatusBanner } from '@/features/status/components/status-banner';
import { READINESS_POLL_INTERVAL_MS, useReadiness } from '@/features/status/api/get-readiness';

export function StatusRoute() {
  const { data, error, isPending } = useReadiness();

  return (
    <section className="status-page">
      <h2>Platform status</h2>

      {error && (
        <div className="banner banner-error" role="alert">
          Cannot reach the platform: {error.message}
          {data && ' — showing the last known state.'}
        </div>
      )}

      {isPending && !error && <p className="muted">Checking platform health…</p>}

      {data && (
        <>
          <StatusBanner readiness={data} />
          <ComponentsTable components={data.components} />
          <p className="muted small">
            Checked at <time dateTime={data.checked_at}>{data.checked_at}</time> · refreshes every{' '}
            {READINESS_POLL_INTERVAL_MS / 1000} s
          </p>
        </>
      )}
    </section>
  );
}

export default StatusRoute;
