import { type FormEvent, useId, useState } from 'react';

import type { ListingInput } from '@/features/publisher/api/create-listing';
import {
  CATEGORIES,
  INTERVALS,
  type ListingErrors,
  type ListingValues,
  RISK_LEVELS,
  slugify,
  toListingInput,
  validateListing,
} from '@/features/publisher/components/listing-values';
import { MarkdownPreview } from '@/features/publisher/components/markdown-preview';
import { ErrorMessage } from '@/shared/components/error-message';

function Field({ label, error, hint, children, id }: { label: string; error?: string; hint?: string; children: React.ReactNode; id: string }) {
  return (
    <div className="flex flex-col gap-1 text-sm">
      <label htmlFor={id} className="text-muted">{label}</label>
      {children}
      {hint && !error && <p id={`${id}-hint`} className="text-xs text-muted">{hint}</p>}
      {error && <p id={`${id}-error`} className="text-xs text-down">{error}</p>}
    </div>
  );
}

/**
 * The listing's fields (create and edit). Checks locally before sending; the API checks again and
 * its refusal (e.g. slug_taken, invalid_price) is shown as it says it.
 */
export function ListingForm({
  initial,
  creating,
  pending,
  error,
  submitLabel,
  onSubmit,
}: {
  initial: ListingValues;
  creating: boolean;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (input: ListingInput) => void;
}) {
  const uid = useId();
  const id = (name: string) => `${uid}-${name}`;
  const [values, setValues] = useState<ListingValues>(initial);
  const [slugEdited, setSlugEdited] = useState(!creating);
  const [errors, setErrors] = useState<ListingErrors>({});
  const [tab, setTab] = useState<'write' | 'preview'>('write');

  const set = <K extends keyof ListingValues>(key: K, value: ListingValues[K]) =>
    setValues((v) => ({ ...v, [key]: value, ...(key === 'name' && !slugEdited ? { slug: slugify(String(value)) } : {}) }));
  const describedBy = (name: keyof ListingValues) => (errors[name] ? `${id(name)}-error` : undefined);

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = validateListing(values, { creating });
    setErrors(found);
    if (Object.keys(found).length === 0) onSubmit(toListingInput(values));
  }

  return (
    <form className="flex flex-col gap-3" onSubmit={submit} noValidate aria-label={creating ? 'New listing' : 'Edit listing'}>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={id('name')} label="Name" error={errors.name}>
          <input id={id('name')} className="input" value={values.name} maxLength={100} aria-invalid={!!errors.name}
            aria-describedby={describedBy('name')} onChange={(e) => set('name', e.target.value)} />
        </Field>
        {creating ? (
          <Field id={id('slug')} label="Slug (its address; cannot change later)" error={errors.slug} hint={`/marketplace/${values.slug || '…'}`}>
            <input id={id('slug')} className="input font-mono" value={values.slug} maxLength={64} aria-invalid={!!errors.slug}
              aria-describedby={describedBy('slug') ?? `${id('slug')}-hint`}
              onChange={(e) => { setSlugEdited(true); set('slug', e.target.value.toLowerCase()); }} />
          </Field>
        ) : (
          <div className="flex flex-col gap-1 text-sm">
            <span className="text-muted">Slug</span>
            <span className="font-mono">{values.slug}</span>
          </div>
        )}
      </div>
      <Field id={id('summary')} label={`Summary (${values.summary.length}/280)`} error={errors.summary}>
        <input id={id('summary')} className="input" value={values.summary} aria-invalid={!!errors.summary}
          aria-describedby={describedBy('summary')} onChange={(e) => set('summary', e.target.value)} />
      </Field>

      <div className="flex flex-col gap-1 text-sm">
        <div className="flex items-center justify-between gap-2">
          <label htmlFor={id('description')} className="text-muted">Description (Markdown)</label>
          <div role="tablist" aria-label="Description editor" className="flex gap-1">
            {(['write', 'preview'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={`btn text-xs ${tab === t ? 'border-accent' : ''}`}
                onClick={() => setTab(t)}>{t === 'write' ? 'Write' : 'Preview'}</button>
            ))}
          </div>
        </div>
        {tab === 'write' ? (
          <textarea id={id('description')} className="input min-h-40 font-mono text-xs" value={values.description}
            aria-invalid={!!errors.description} aria-describedby={describedBy('description')}
            placeholder={'## How it trades\nLong while the fast average is above the slow one.\n\n- **Markets:** BTC-USDT\n- **Risk:** medium'}
            onChange={(e) => set('description', e.target.value)} />
        ) : (
          <div className="min-h-40 rounded border border-border bg-bg p-3" role="tabpanel" aria-label="Description preview">
            <MarkdownPreview source={values.description} />
          </div>
        )}
        {errors.description && <p id={`${id('description')}-error`} className="text-xs text-down">{errors.description}</p>}
      </div>

      <div className="grid gap-3 sm:grid-cols-3">
        <Field id={id('category')} label="Category" error={errors.category}>
          <input id={id('category')} className="input" list={id('categories')} value={values.category} maxLength={32}
            aria-invalid={!!errors.category} onChange={(e) => set('category', e.target.value)} />
          <datalist id={id('categories')}>{CATEGORIES.map((c) => <option key={c} value={c} />)}</datalist>
        </Field>
        <Field id={id('tags')} label="Tags (comma separated)" error={errors.tags}>
          <input id={id('tags')} className="input" value={values.tags} placeholder="sma, crossover"
            aria-invalid={!!errors.tags} aria-describedby={describedBy('tags')} onChange={(e) => set('tags', e.target.value)} />
        </Field>
        <Field id={id('risk')} label="Risk level">
          <select id={id('risk')} className="input" value={values.riskLevel}
            onChange={(e) => set('riskLevel', e.target.value as ListingValues['riskLevel'])}>
            {RISK_LEVELS.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </Field>
      </div>
      <Field id={id('markets')} label="Markets (exchange:SYMBOL, comma separated)" error={errors.markets}>
        <input id={id('markets')} className="input font-mono" value={values.markets} placeholder="sim:BTC-USDT, sim:ETH-USDT"
          aria-invalid={!!errors.markets} aria-describedby={describedBy('markets')} onChange={(e) => set('markets', e.target.value)} />
      </Field>
      <fieldset className="flex flex-col gap-1 text-sm">
        <legend className="text-muted">Intervals it is meant for</legend>
        <div className="flex flex-wrap gap-x-3 gap-y-1">
          {INTERVALS.map((iv) => (
            <label key={iv} className="flex items-center gap-1 font-mono">
              <input type="checkbox" checked={values.intervals.includes(iv)}
                onChange={(e) => set('intervals', e.target.checked ? [...values.intervals, iv] : values.intervals.filter((x) => x !== iv))} />
              {iv}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className="flex flex-col gap-2 text-sm">
        <legend className="text-muted">Pricing</legend>
        <div className="flex flex-wrap items-center gap-4">
          <label className="flex items-center gap-1">
            <input type="radio" name={id('pricing')} checked={values.pricing === 'free'} onChange={() => set('pricing', 'free')} /> Free
          </label>
          <label className="flex items-center gap-1">
            <input type="radio" name={id('pricing')} checked={values.pricing === 'monthly'} onChange={() => set('pricing', 'monthly')} /> Monthly subscription
          </label>
          {values.pricing === 'monthly' && (
            <div className="flex items-center gap-1">
              <label htmlFor={id('price')} className="text-muted">Price per month (USD)</label>
              <input id={id('price')} className="input w-28 text-right font-mono" inputMode="decimal" value={values.price}
                placeholder="19.00" aria-invalid={!!errors.price} aria-describedby={describedBy('price')}
                onChange={(e) => set('price', e.target.value)} />
            </div>
          )}
        </div>
        {errors.price && <p id={`${id('price')}-error`} className="text-xs text-down" role="alert">{errors.price}</p>}
        {values.pricing === 'monthly' && !errors.price && (
          <p className="text-xs text-muted">Subscribers pay monthly through Stripe; you receive it less the platform fee once payouts are set up.</p>
        )}
      </fieldset>

      <ErrorMessage error={error} />
      <div>
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? 'Saving…' : submitLabel}</button>
      </div>
    </form>
  );
}
