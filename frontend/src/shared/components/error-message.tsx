import { ApiError, errorMessage } from '@/shared/api/http';

/** Shows the message the API returned (its error envelope), or a network error. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div role="alert" className="rounded border border-down bg-[var(--fail-bg)] px-3 py-2 text-sm text-down">
      {title && <strong className="mr-1">{title}:</strong>}
      {errorMessage(error)}
      {error instanceof ApiError && error.fieldErrors.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {error.fieldErrors.map((message) => <li key={message}>{message}</li>)}
        </ul>
      )}
    </div>
  );
}
