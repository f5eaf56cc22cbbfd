import { useEffect, useState } from 'react';

import type { Facets } from '@/features/marketplace/api/get-facets';
import { FILTER_PARAMS, SORTS } from '@/features/marketplace/components/browse-params';
import { Field } from '@/features/marketplace/components/field';

const SEARCH_DELAY_MS = 300;
type FacetValue = Facets['categories'][number];

function FacetSelect({ label, name, values, value, allLabel, onChange }: {
  label: string;
  name: string;
  values: FacetValue[];
  value: string;
  allLabel: string;
  onChange: (name: string, value: string) => void;
}) {
  // A value from the URL that no published listing has (any more) still shows as chosen.
  const options = value && !values.some((v) => v.value === value) ? [{ value, count: 0 }, ...values] : values;
  return (
    <Field label={label}>
      <select className="input text-sm" value={value} onChange={(e) => onChange(name, e.target.value)}>
        <option value="">{allLabel}</option>
        {options.map((v) => (
          <option key={v.value} value={v.value}>{v.value} ({v.count})</option>
        ))}
      </select>
    </Field>
  );
}

/** Search box, filters and sort of the catalogue; every change goes to the URL through onChange. */
export function ListingFilters({ params, facets, onChange, onClear }: {
  params: URLSearchParams;
  facets: Facets | undefined;
  onChange: (name: string, value: string) => void;
  onClear: () => void;
}) {
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  useEffect(() => {
    if (text.trim() === q.trim()) return;
    const timer = setTimeout(() => onChange('q', text.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, q, onChange]);

  const value = (name: string) => params.get(name) ?? '';
  const filtered = FILTER_PARAMS.some((name) => value(name));
  const facetSelect = (label: string, name: string, values: FacetValue[] | undefined, allLabel: string) => (
    <FacetSelect label={label} name={name} values={values ?? []} value={value(name)} allLabel={allLabel} onChange={onChange} />
  );

  return (
    <form role="search" aria-label="Search listings" className="card flex flex-col gap-3"
      onSubmit={(e) => { e.preventDefault(); onChange('q', text.trim()); }}>
      <Field label="Search">
        <input type="search" className="input text-sm" placeholder="Name, summary or tag" value={text} maxLength={100}
          onChange={(e) => setText(e.target.value)} />
      </Field>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
        {facetSelect('Category', 'category', facets?.categories, 'All categories')}
        {facetSelect('Tag', 'tag', facets?.tags, 'Any tag')}
        {facetSelect('Market', 'market', facets?.markets, 'Any market')}
        {facetSelect('Interval', 'interval', facets?.intervals, 'Any interval')}
        {facetSelect('Risk', 'risk_level', facets?.risk_levels, 'Any risk')}
        <Field label="Price">
          <select className="input text-sm" value={value('price')} onChange={(e) => onChange('price', e.target.value)}>
            <option value="">Free and paid</option>
            <option value="free">Free{facets ? ` (${facets.free})` : ''}</option>
            <option value="paid">Paid{facets ? ` (${facets.paid})` : ''}</option>
          </select>
        </Field>
        <Field label="Sort by">
          <select className="input text-sm" value={value('sort') || 'newest'}
            onChange={(e) => onChange('sort', e.target.value === 'newest' ? '' : e.target.value)}>
            {SORTS.map(([sort, label]) => <option key={sort} value={sort}>{label}</option>)}
          </select>
        </Field>
      </div>
      {filtered && (
        <div>
          <button type="button" className="btn text-xs" onClick={onClear}>Clear filters</button>
        </div>
      )}
    </form>
  );
}
