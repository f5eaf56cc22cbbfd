import { useId } from 'react';

export type FieldProps = { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string };

/** A labelled control with its hint and its problem (inline, announced), wired by id. */
export function Field({ label, hint, error, className = '', children }: {
  label: string; hint?: string; error?: string; className?: string; children: (props: FieldProps) => React.ReactNode;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && <span id={`${id}-hint`} className="text-xs text-muted">{hint}</span>}
      {error && <span id={`${id}-error`} role="alert" className="text-xs text-down">{error}</span>}
    </div>
  );
}
