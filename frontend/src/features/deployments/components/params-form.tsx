import { useId } from 'react';

import type { ManifestParam } from '@/features/deployments/api/types';
import { type ParamValues, enumOptions, fieldKind, paramProblem, valueOf } from '@/features/deployments/components/manifest-params';

function rangeHint(param: ManifestParam): string {
  if (param.min === undefined && param.max === undefined) return '';
  return `${param.min ?? '−∞'} … ${param.max ?? '∞'}`;
}

/**
 * A form generated from a manifest's params: numbers (int/float with min/max), switches (bool)
 * and choices (enum), each with its default and description; problems show inline as you type.
 * `serverErrors` puts the API's message beside the parameter it named.
 */
export function ParamsForm({
  params,
  values,
  onChange,
  serverErrors = {},
  legend = 'Parameters',
}: {
  params: ManifestParam[];
  values: ParamValues;
  onChange: (values: ParamValues) => void;
  serverErrors?: Record<string, string>;
  legend?: string;
}) {
  const id = useId();
  if (params.length === 0) return <p className="text-xs text-muted">This strategy has no parameters.</p>;
  const set = (name: string, value: string) => onChange({ ...values, [name]: value });

  return (
    <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
      <legend className="mb-1 text-xs uppercase text-muted">{legend}</legend>
      {params.map((p) => {
        const kind = fieldKind(p);
        const value = valueOf(p, values);
        const problem = paramProblem(p, value) ?? serverErrors[p.name] ?? null;
        const inputId = `${id}-${p.name}`;
        const hintId = `${inputId}-hint`;
        const errorId = `${inputId}-error`;
        const describedBy = [p.description || kind !== 'bool' ? hintId : '', problem ? errorId : ''].filter(Boolean).join(' ') || undefined;
        if (kind === 'bool') {
          return (
            <div key={p.name} className="flex flex-col gap-1">
              <label htmlFor={inputId} className="flex items-center gap-2">
                <input id={inputId} type="checkbox" checked={value === '1'} aria-describedby={describedBy}
                  onChange={(e) => set(p.name, e.target.checked ? '1' : '0')} />
                {p.name}
              </label>
              {p.description && <span id={hintId} className="text-xs text-muted">{p.description}</span>}
              {problem && <span id={errorId} role="alert" className="text-xs text-down">{problem}</span>}
            </div>
          );
        }
        return (
          <div key={p.name} className="flex flex-col gap-1">
            <label htmlFor={inputId}>{p.name}</label>
            {kind === 'enum' ? (
              <select id={inputId} className="input" value={value} aria-describedby={describedBy}
                aria-invalid={problem ? true : undefined} onChange={(e) => set(p.name, e.target.value)}>
                {enumOptions(p).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </select>
            ) : (
              <input id={inputId} className="input font-mono" type="text" inputMode={kind === 'int' ? 'numeric' : 'decimal'}
                value={value} aria-describedby={describedBy} aria-invalid={problem ? true : undefined}
                onChange={(e) => set(p.name, e.target.value)} />
            )}
            <span id={hintId} className="text-xs text-muted">
              {[p.description, kind === 'enum' ? '' : `${kind} ${rangeHint(p)}`, `default ${String(p.default)}`].filter(Boolean).join(' · ')}
            </span>
            {problem && <span id={errorId} role="alert" className="text-xs text-down">{problem}</span>}
          </div>
        );
      })}
    </fieldset>
  );
}
