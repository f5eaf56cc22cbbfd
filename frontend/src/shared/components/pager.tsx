import { useState } from 'react';

/**
 * Keyset paging state for "newest first" lists that take `limit` + `before` (the last id of the
 * previous page). Each entry of the stack is the cursor of one page; undefined = the newest page.
 */
export function useKeysetPages<C = number>() {
  const [cursors, setCursors] = useState<(C | undefined)[]>([undefined]);
  return {
    before: cursors[cursors.length - 1],
    page: cursors.length,
    older: (cursor: C) => setCursors((c) => [...c, cursor]),
    newer: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reset: () => setCursors([undefined]),
  };
}

/** Newer/Older buttons under a keyset-paged list. `hasOlder` = the page came back full. */
export function Pager({
  page,
  hasOlder,
  onNewer,
  onOlder,
  label = 'Pages',
}: {
  page: number;
  hasOlder: boolean;
  onNewer: () => void;
  onOlder: () => void;
  label?: string;
}) {
  if (page === 1 && !hasOlder) return null;
  return (
    <nav className="flex items-center gap-2 text-xs" aria-label={label}>
      <button type="button" className="btn" disabled={page === 1} onClick={onNewer}>Newer</button>
      <span className="text-muted">page {page}</span>
      <button type="button" className="btn" disabled={!hasOlder} onClick={onOlder}>Older</button>
    </nav>
  );
}
