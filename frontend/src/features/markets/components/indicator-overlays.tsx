import { useEffect } from 'react';

import {
  INDICATOR_CHOICES,
  type IndicatorChoice,
  type IndicatorQuery,
  useIndicator,
} from '@/features/markets/api/get-indicator';
import type { Overlay } from '@/features/markets/components/candle-chart-option';

/** Fetches one indicator and reports it up (hooks cannot be called in a loop over a changing list). */
function IndicatorFetcher({ choice, range, onData }: {
  choice: IndicatorChoice;
  range: IndicatorQuery;
  onData: (id: string, overlay: Overlay | null, error: unknown) => void;
}) {
  const { data, error } = useIndicator(choice, range);
  useEffect(() => {
    onData(choice.id, data ? { choice, series: data } : null, error);
  }, [choice, data, error, onData]);
  return null;
}

export function IndicatorFetchers({ selected, range, onData }: {
  selected: string[];
  range: IndicatorQuery;
  onData: (id: string, overlay: Overlay | null, error: unknown) => void;
}) {
  return (
    <>
      {INDICATOR_CHOICES.filter((c) => selected.includes(c.id)).map((choice) => (
        <IndicatorFetcher key={choice.id} choice={choice} range={range} onData={onData} />
      ))}
    </>
  );
}
