import { INTERVALS, type Interval } from '@/features/markets/api/intervals';

export function IntervalSwitcher({ value, onChange }: { value: Interval; onChange: (interval: Interval) => void }) {
  return (
    <div role="group" aria-label="Interval" className="flex flex-wrap gap-1">
      {INTERVALS.map((interval) => (
        <button
          key={interval}
          type="button"
          aria-pressed={interval === value}
          onClick={() => onChange(interval)}
          className={`rounded px-2 py-0.5 text-xs ${
            interval === value ? 'bg-accent text-white' : 'border border-border text-muted hover:text-fg'
          }`}
        >
          {interval}
        </button>
      ))}
    </div>
  );
}
