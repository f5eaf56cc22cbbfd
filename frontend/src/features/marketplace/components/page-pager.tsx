/** Previous / Next under a numbered list, with where we are. Hidden when everything fits on one page. */
export function PagePager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  if (pages <= 1 && page <= 1) return null;
  return (
    <nav className="flex items-center gap-2 text-sm" aria-label="Listing pages">
      <button type="button" className="btn" disabled={page <= 1} onClick={() => onPage(page - 1)}>Previous</button>
      <span className="text-muted">page {page} of {Math.max(pages, 1)}</span>
      <button type="button" className="btn" disabled={page >= pages} onClick={() => onPage(page + 1)}>Next</button>
    </nav>
  );
}
