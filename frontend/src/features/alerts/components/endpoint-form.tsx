import { type FormEvent, useState } from 'react';

import { type EndpointCreated, useCreateEndpoint } from '@/features/alerts/api/create-endpoint';
import { EVENT_TYPES, type EventType } from '@/features/alerts/api/get-endpoints';
import { ErrorMessage } from '@/shared/components/error-message';

export function urlProblem(url: string): string | null {
  const value = url.trim();
  if (!value) return 'Enter the URL your receiver listens on.';
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return 'That is not a valid URL (it should look like https://example.com/hooks/quant-trader).';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'The URL must start with https://.';
  return null;
}

export function EndpointForm({ onCreated }: { onCreated: (endpoint: EndpointCreated) => void }) {
  const create = useCreateEndpoint();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<EventType[]>(['alert.fired', 'test']);
  const [problem, setProblem] = useState<string | null>(null);

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const found = urlProblem(url) ?? (events.length === 0 ? 'Pick at least one event to send.' : null);
    setProblem(found);
    if (found) return;
    create.mutate(
      { url: url.trim(), description: description.trim(), event_types: events },
      {
        onSuccess: (endpoint) => {
          setUrl('');
          setDescription('');
          onCreated(endpoint);
        },
      },
    );
  }

  const toggle = (value: EventType, on: boolean) =>
    setEvents((current) => (on ? [...current, value] : current.filter((e) => e !== value)));

  return (
    <form onSubmit={handleSubmit} className="card flex flex-col gap-3 text-sm" aria-label="New webhook endpoint" noValidate>
      <h3 className="font-semibold">New webhook endpoint</h3>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
        <label className="flex flex-col gap-1 sm:col-span-2">
          URL
          <input className="input font-mono" type="url" inputMode="url" placeholder="https://example.com/hooks/quant-trader"
            value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1">
          Description (optional)
          <input className="input" value={description} maxLength={200} onChange={(e) => setDescription(e.target.value)} />
        </label>
      </div>
      <fieldset>
        <legend className="mb-1 text-xs uppercase text-muted">Events to send</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {EVENT_TYPES.map((e) => (
            <label key={e.value} className="flex items-center gap-2">
              <input type="checkbox" checked={events.includes(e.value)} onChange={(ev) => toggle(e.value, ev.target.checked)} />
              {e.label} <code className="text-xs text-muted">{e.value}</code>
            </label>
          ))}
        </div>
      </fieldset>
      {problem && <p role="alert" className="text-down">{problem}</p>}
      <ErrorMessage error={create.error} title="Not saved" />
      <div>
        <button type="submit" className="btn-primary" disabled={create.isPending}>{create.isPending ? 'Checking the URL…' : 'Add endpoint'}</button>
      </div>
    </form>
  );
}
