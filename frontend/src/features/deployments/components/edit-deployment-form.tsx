import { type FormEvent, useState } from 'react';

import { type DeploymentChanges, useUpdateDeployment } from '@/features/deployments/api/update-deployment';
import type { Deployment } from '@/features/deployments/api/types';
import { fieldOfError } from '@/features/deployments/components/deployment-form';
import { Field } from '@/features/deployments/components/field';
import { type ParamValues, paramErrors, paramPayload } from '@/features/deployments/components/manifest-params';
import { SIZING_MODES, STOPS, type SizingMode, type StopName, sizingMode, stopProblem } from '@/features/deployments/components/sizing';
import { SizingAndStopsFields } from '@/features/deployments/components/sizing-and-stops-fields';
import { ErrorMessage } from '@/shared/components/error-message';

const asText = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** Change a deployment's name, sizing and stops (strategy, market and account are fixed). */
export function EditDeploymentForm({ deployment, onDone }: { deployment: Deployment; onDone: () => void }) {
  const update = useUpdateDeployment(deployment.id);
  const [name, setName] = useState(deployment.name);
  const [sizing, setSizing] = useState<SizingMode>(sizingMode(deployment.sizing ?? 'fixed_fraction').mode);
  const [sizingValues, setSizingValues] = useState<ParamValues>(
    Object.fromEntries(Object.entries(deployment.sizing_params ?? {}).map(([k, v]) => [k, String(v)])),
  );
  const [stops, setStops] = useState<Record<StopName, string>>({
    stop_loss: asText(deployment.stop_loss), take_profit: asText(deployment.take_profit), max_drawdown: asText(deployment.max_drawdown),
  });
  const mode = sizingMode(sizing);
  const sizingNames = SIZING_MODES.flatMap((m) => m.params.map((p) => p.name));
  const server = update.isError ? fieldOfError(update.error, sizingNames) : null;
  const serverFor = (key: string) => (server?.key === key ? server.message : undefined);
  const invalid = !name.trim() || Object.keys(paramErrors(mode.params, sizingValues)).length > 0
    || STOPS.some((s) => stopProblem(stops[s.name], s.max));

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (invalid) return;
    const changes: DeploymentChanges = {
      name: name.trim(),
      sizing,
      sizing_params: paramPayload(mode.params, sizingValues),
      ...Object.fromEntries(STOPS.map((s) => [s.name, stops[s.name].trim() === '' ? null : Number(stops[s.name])])),
    };
    update.mutate(changes, { onSuccess: () => onDone() });
  }

  return (
    <form onSubmit={handleSubmit} className="flex flex-col gap-3 text-sm" aria-label="Edit deployment" noValidate>
      <Field label="Name" error={!name.trim() ? 'Give it a name.' : serverFor('name')}>
        {(field) => <input className="input" {...field} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <SizingAndStopsFields sizing={sizing} onSizing={setSizing} sizingValues={sizingValues} onSizingValues={setSizingValues}
        stops={stops} onStops={setStops} serverFor={serverFor} />
      <ErrorMessage error={update.error} title="Not saved" />
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={update.isPending || invalid}>{update.isPending ? 'Saving…' : 'Save changes'}</button>
        <button type="button" className="btn" onClick={onDone}>Cancel</button>
      </div>
      <p className="text-xs text-muted">Strategy, market and account are fixed: create a new deployment to change them.</p>
    </form>
  );
}
