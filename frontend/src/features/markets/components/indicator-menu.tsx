import { INDICATOR_CHOICES } from '@/features/markets/api/get-indicator';

type Props = { selected: string[]; onToggle: (id: string) => void };

export function IndicatorMenu({ selected, onToggle }: Props) {
  return (
    <details className="relative text-sm">
      <summary className="btn cursor-pointer list-none">Indicators{selected.length > 0 && ` (${selected.length})`}</summary>
      <div className="absolute right-0 z-10 mt-1 flex w-48 flex-col gap-1 rounded border border-border bg-panel p-2 shadow-lg">
        {INDICATOR_CHOICES.map((choice) => (
          <label key={choice.id} className="flex items-center gap-2">
            <input type="checkbox" checked={selected.includes(choice.id)} onChange={() => onToggle(choice.id)} />
            {choice.label}
            {!choice.overlay && <span className="text-xs text-muted">(pane)</span>}
          </label>
        ))}
      </div>
    </details>
  );
}
