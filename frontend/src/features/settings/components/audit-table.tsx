import type { AuditEvent } from '@/features/settings/api/get-audit-log';
import { formatTime } from '@/features/settings/components/format';

/** Compact "key: value" text of an event's data payload. */
export function describeData(data: unknown): string {
  if (data === null || data === undefined) return '';
  if (typeof data !== 'object') return String(data);
  return Object.entries(data as Record<string, unknown>)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`)
    .join('; ');
}

export function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="table-basic w-full text-sm" aria-label="Audit log">
        <thead><tr><th>Time</th><th>Actor</th><th>Action</th><th>Target</th><th>Details</th></tr></thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td className="whitespace-nowrap text-muted">{formatTime(event.created_at)}</td>
              <td className="break-all">{event.actor_label}</td>
              <td className="mono whitespace-nowrap text-xs">{event.action}</td>
              <td className="mono break-all text-xs">{event.target || '—'}</td>
              <td className="text-xs text-muted">
                {describeData(event.data)}
                {event.ip && <span className="block">IP {event.ip}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
