import type { Dispatch, SetStateAction } from 'react';

import { Field } from '@/features/deployments/components/field';
import type { ParamValues } from '@/features/deployments/components/manifest-params';
import { ParamsForm } from '@/features/deployments/components/params-form';
import { SIZING_MODES, STOPS, type SizingMode, type StopName, sizingMode, stopProblem } from '@/features/deployments/components/sizing';

/** The sizing mode with its values, and the three stops: the create and the edit form both ask for them. */
export function SizingAndStopsFields({
  sizing,
  onSizing,
  sizingValues,
  onSizingValues,
  stops,
  onStops,
  serverFor,
  sizingClassName,
}: {
  sizing: SizingMode;
  onSizing: (mode: SizingMode) => void;
  sizingValues: ParamValues;
  onSizingValues: (values: ParamValues) => void;
  stops: Record<StopName, string>;
  onStops: Dispatch<SetStateAction<Record<StopName, string>>>;
  serverFor: (key: string) => string | undefined;
  sizingClassName?: string;
}) {
  const mode = sizingMode(sizing);
  return (
    <>
      <Field label="Sizing" className={sizingClassName} hint={mode.help} error={serverFor('sizing')}>
        {(field) => (
          <select className="input" {...field} value={sizing}
            onChange={(e) => { onSizing(e.target.value as SizingMode); onSizingValues({}); }}>
            {SIZING_MODES.map((m) => <option key={m.mode} value={m.mode}>{m.label}</option>)}
          </select>
        )}
      </Field>
      <ParamsForm params={mode.params} values={sizingValues} onChange={onSizingValues} legend="Sizing values"
        serverErrors={Object.fromEntries(mode.params.flatMap((p) => (serverFor(`sizing:${p.name}`) ? [[p.name, serverFor(`sizing:${p.name}`)!]] : [])))} />
      <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <legend className="mb-1 text-xs uppercase text-muted">Stops (blank = off)</legend>
        {STOPS.map((stop) => (
          <Field key={stop.name} label={stop.label} hint={stop.help} error={stopProblem(stops[stop.name], stop.max) ?? serverFor(stop.name)}>
            {(field) => (
              <input className="input font-mono" inputMode="decimal" {...field} value={stops[stop.name]} placeholder="off"
                onChange={(e) => onStops((c) => ({ ...c, [stop.name]: e.target.value }))} />
            )}
          </Field>
        ))}
      </fieldset>
    </>
  );
}
