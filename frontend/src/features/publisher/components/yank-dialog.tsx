import { useEffect, useRef } from 'react';

import type { Version } from '@/features/publisher/api/get-listing-versions';
import { useYankVersion } from '@/features/publisher/api/yank-version';
import { ErrorMessage } from '@/shared/components/error-message';

/** Confirms a yank and says what it does: the version leaves the marketplace and its deployments pause. */
export function YankDialog({ version, onClose }: { version: Version; onClose: () => void }) {
  const yank = useYankVersion();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);

  return (
    <div role="alertdialog" aria-modal="true" aria-labelledby="yank-title" aria-describedby="yank-effect"
      className="fixed inset-0 z-50 flex items-center justify-center bg-black/50 p-3"
      onKeyDown={(e) => e.key === 'Escape' && !yank.isPending && onClose()}>
      <div className="card flex w-full max-w-md flex-col gap-3 shadow-lg">
        <h3 id="yank-title" className="font-semibold">Yank version <span className="font-mono">{version.version}</span>?</h3>
        <div id="yank-effect" className="flex flex-col gap-2 text-sm">
          <p>Yanking withdraws this version from the marketplace. It cannot be undone.</p>
          <ul className="list-disc pl-5 text-muted">
            <li>Every deployment running {version.version} is <strong className="text-fg">paused</strong> at once (reason: version_yanked); its owners are told and can switch to another version.</li>
            <li>Subscribers can no longer deploy it; if it was your latest version, the listing falls back to the previous published one (or becomes private).</li>
          </ul>
        </div>
        <ErrorMessage error={yank.error} />
        <div className="flex justify-end gap-2">
          <button ref={cancel} type="button" className="btn" onClick={onClose} disabled={yank.isPending}>Cancel</button>
          <button type="button" className="rounded bg-down px-3 py-1 font-medium text-white hover:opacity-90 disabled:opacity-50"
            disabled={yank.isPending} onClick={() => yank.mutate(version.id, { onSuccess: onClose })}>
            {yank.isPending ? 'Yanking…' : `Yank ${version.version}`}
          </button>
        </div>
      </div>
    </div>
  );
}
