import { type ReactElement, cloneElement, useId } from 'react';

/** A label above its control, tied by id (so the control's accessible name is exactly the label). */
export function Field({ label, children }: { label: string; children: ReactElement<{ id?: string }> }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs text-muted">{label}</label>
      {cloneElement(children, { id })}
    </div>
  );
}
