import { useState } from 'react';
import { useNavigate } from 'react-router';

import { BACKTESTS_PAGE, useBacktests } from '@/features/backtests/api/get-backtests';
import { BacktestForm } from '@/features/backtests/components/backtest-form';
import { BacktestsTable } from '@/features/backtests/components/backtests-table';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';

export function BacktestsRoute() {
  const navigate = useNavigate();
  // Keyset pages: each entry is the `before` cursor of a page (undefined = newest).
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const backtests = useBacktests(before);
  const rows = backtests.data ?? [];
  const lastId = rows[rows.length - 1]?.id;

  return (
    <section className="flex flex-col gap-3">
      <h2 className="text-xl font-semibold">Backtests</h2>
      <BacktestForm onQueued={(b) => navigate(`/backtests/${b.id}`)} />
      <div className="card flex flex-col gap-2">
        <h3 className="font-semibold">History</h3>
        {backtests.isPending && <Loading />}
        <ErrorMessage error={backtests.error} />
        {backtests.data && <BacktestsTable backtests={rows} />}
        <div className="flex gap-2 text-xs">
          <button type="button" className="btn" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>Newer</button>
          <button type="button" className="btn" disabled={rows.length < BACKTESTS_PAGE || lastId === undefined}
            onClick={() => setCursors((c) => [...c, lastId])}>Older</button>
        </div>
      </div>
    </section>
  );
}

export default BacktestsRoute;
