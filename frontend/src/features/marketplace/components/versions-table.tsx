import type { Version } from '@/features/marketplace/api/get-listing';
import { formatDate } from '@/features/marketplace/components/format';

export function VersionsTable({ versions, latest }: { versions: Version[]; latest: string | undefined }) {
  return (
    <section className="card flex flex-col gap-2" aria-label="Versions">
      <h3 className="font-semibold">Versions</h3>
      <div className="overflow-x-auto">
        <table className="table-basic w-full text-sm" aria-label="Versions">
          <thead>
            <tr><th>Version</th><th>Status</th><th>Published</th><th>Changelog</th></tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td className="whitespace-nowrap font-mono">
                  {v.version}
                  {v.version === latest && <span className="ml-2 rounded bg-bg px-1 text-xs text-muted">latest</span>}
                </td>
                <td className={v.status === 'yanked' ? 'text-down' : ''}>
                  {v.status === 'yanked' ? `withdrawn ${formatDate(v.yanked_at)}` : v.status}
                </td>
                <td className="whitespace-nowrap">{formatDate(v.published_at)}</td>
                <td className="whitespace-pre-line text-muted">{v.changelog || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
