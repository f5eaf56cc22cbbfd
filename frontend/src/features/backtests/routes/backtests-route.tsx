import { useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { BACKTESTS_PAGE, useBacktests } from '@/features/backtests/api/get-backtests';
import { useBacktestProgress } from '@/features/backtests/api/use-backtest-progress';
import { BacktestForm } from '@/features/backtests/components/backtest-form';
import { BacktestsTable } from '@/features/backtests/components/backtests-table';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';

export function BacktestsRoute() {
  const navigate = useNavigate();
  const pages = useKeysetPages();
  const [selected, setSelected] = useState<number[]>([]);
  useBacktestProgress();
  const backtests = useBacktests(pages.before);
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
        {backtests.data && (
          <BacktestsTable backtests={rows} selected={selected}
            onToggle={(id) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id].slice(-2)))} />
        )}
        {rows.some((b) => b.status === 'succeeded') && (
          <p className="text-xs text-muted">
            {selected.length === 2
              ? <Link className="btn" to={`/backtests/compare?a=${selected[0]}&b=${selected[1]}`}>Compare #{selected[0]} and #{selected[1]}</Link>
              : 'Tick two finished backtests to compare them side by side.'}
          </p>
        )}
        <Pager page={pages.page} hasOlder={rows.length >= BACKTESTS_PAGE && lastId !== undefined}
          onNewer={pages.newer} onOlder={() => lastId !== undefined && pages.older(lastId)} label="Backtest pages" />
      </div>
    </section>
  );
}

export default BacktestsRoute;
