import { useState } from 'react';

/**
 * A destructive action asked twice, in place: the first click shows "Delete “x”?" with
 * Confirm/Cancel (no window.confirm, so it is keyboard- and test-friendly).
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel = 'Confirm',
  pending,
  onConfirm,
  className = 'btn',
}: {
  label: string;
  question: string;
  confirmLabel?: string;
  pending?: boolean;
  onConfirm: () => void;
  className?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return <button type="button" className={className} onClick={() => setAsking(true)} disabled={pending}>{label}</button>;
  }
  return (
    <span role="group" aria-label={question} className="inline-flex flex-wrap items-center gap-1">
      <span className="text-xs">{question}</span>
      <button type="button" className="btn border-down text-down" disabled={pending}
        onClick={() => { onConfirm(); setAsking(false); }}>
        {confirmLabel}
      </button>
      <button type="button" className="btn" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}
