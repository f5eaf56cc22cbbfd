import { useNavigate } from 'react-router';

import { BACKTESTS_PAGE, useBacktests } from '@/features/backtests/api/get-backtests';
import { BacktestForm } from '@/features/backtests/components/backtest-form';
import { BacktestsTable } from '@/features/backtests/components/backtests-table';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';

export function BacktestsRoute() {
  const navigate = useNavigate();
  const pages = useKeysetPages();
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
        {backtests.data && <BacktestsTable backtests={rows} />}
        <Pager page={pages.page} hasOlder={rows.length >= BACKTESTS_PAGE && lastId !== undefined}
          onNewer={pages.newer} onOlder={() => lastId !== undefined && pages.older(lastId)} label="Backtest pages" />
      </div>
    </section>
  );
}

export default BacktestsRoute;
