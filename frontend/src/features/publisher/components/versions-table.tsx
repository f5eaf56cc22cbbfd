import { useState } from 'react';

import type { Version } from '@/features/publisher/api/get-listing-versions';
import { VersionStatusBadge } from '@/features/publisher/components/version-status';
import { YankDialog } from '@/features/publisher/components/yank-dialog';

function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

export function VersionsTable({ versions, selected, onSelect }: {
  versions: Version[];
  selected: number | null;
  onSelect: (id: number) => void;
}) {
  const [yanking, setYanking] = useState<Version | null>(null);
  return (
    <div className="overflow-x-auto">
      <table className="table-basic w-full text-sm" aria-label="Versions">
        <thead>
          <tr><th>Version</th><th>Status</th><th className="hidden sm:table-cell">Uploaded</th><th className="hidden sm:table-cell">Changelog</th><th><span className="sr-only">Actions</span></th></tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} className={v.id === selected ? 'bg-bg' : undefined} aria-selected={v.id === selected}>
              <td className="font-mono">{v.version}</td>
              <td>
                <VersionStatusBadge status={v.status} />
                {v.status === 'rejected' && v.reject_reason && <div className="max-w-xs text-xs text-down">{v.reject_reason}</div>}
              </td>
              <td className="hidden whitespace-nowrap text-xs text-muted sm:table-cell">{when(v.created_at)}</td>
              <td className="hidden max-w-xs truncate text-xs text-muted sm:table-cell" title={v.changelog}>{v.changelog || '—'}</td>
              <td className="whitespace-nowrap text-right">
                <button type="button" className="btn text-xs" onClick={() => onSelect(v.id)} aria-label={`Report of ${v.version}`}>Report</button>
                {v.status === 'published' && (
                  <button type="button" className="btn ml-1 text-xs text-down" onClick={() => setYanking(v)} aria-label={`Yank ${v.version}`}>Yank</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {yanking && <YankDialog version={yanking} onClose={() => setYanking(null)} />}
    </div>
  );
}
