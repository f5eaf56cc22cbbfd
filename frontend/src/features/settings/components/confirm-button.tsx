import { useState } from 'react';

/**
 * A destructive action that asks once more inline: the first click shows the question with
 * "Yes, …" and "Cancel"; only "Yes" calls onConfirm.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  pending = false,
  disabled = false,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  pending?: boolean;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="btn text-down" disabled={disabled || pending} onClick={() => setAsking(true)}>
        {pending ? 'Working…' : label}
      </button>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-2" role="group" aria-label={question}>
      <span className="text-sm">{question}</span>
      <button type="button" className="btn text-down" onClick={() => { setAsking(false); onConfirm(); }}>
        {confirmLabel}
      </button>
      <button type="button" className="btn" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}
