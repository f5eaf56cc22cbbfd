import type { ComponentHealth } from '@/features/status/api/get-readiness';

function formatLatency(ms: number | null): string {
  return typeof ms === 'number' ? `${ms.toFixed(1)} ms` : '—';
}

export function ComponentsTable({ components }: { components: Record<string, ComponentHealth> }) {
  return (
    <table className="components">
      <thead>
        <tr>
          <th scope="col">Component</th>
          <th scope="col">State</th>
          <th scope="col" className="num">
            Latency
          </th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(components).map(([name, health]) => (
          <tr key={name}>
            <td className="mono">{name}</td>
            <td>
              <span className={`badge ${health.ok ? 'badge-ok' : 'badge-fail'}`}>
                {health.ok ? 'OK' : 'FAIL'}
              </span>
            </td>
            <td className="num mono">{formatLatency(health.latency_ms)}</td>
            <td>{health.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
