import { useEffect } from 'react';

import type { Version } from '@/features/publisher/api/get-listing-versions';
import { isInProgress } from '@/features/publisher/api/get-listing-versions';
import { useVersion } from '@/features/publisher/api/get-version';
import { asReport, type CheckRow, checkRows } from '@/features/publisher/components/validation-checks';
import { VersionStatusBadge } from '@/features/publisher/components/version-status';
import { themeColors } from '@/shared/charts/echarts';
import { useEChart } from '@/shared/charts/use-echart';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';

const ICONS: Record<CheckRow['state'], string> = { pending: '…', passed: '✓', failed: '✗', skipped: '–' };
const TONES: Record<CheckRow['state'], string> = { pending: 'text-accent', passed: 'text-up', failed: 'text-down', skipped: 'text-muted' };
const STATE_TEXT: Record<CheckRow['state'], string> = { pending: 'running', passed: 'passed', failed: 'failed', skipped: 'not run' };

type Backtest = {
  metrics?: Record<string, unknown>;
  equity?: [number, number][];
  method?: string;
  data_set?: { symbol?: string; bars?: number; start?: string; seed?: number };
};

const METRICS: [string, string, 'pct' | 'num' | 'int'][] = [
  ['total_return', 'Return', 'pct'],
  ['sharpe', 'Sharpe', 'num'],
  ['max_drawdown', 'Max drawdown', 'pct'],
  ['win_rate', 'Win rate', 'pct'],
  ['trades', 'Trades', 'int'],
  ['exposure', 'Exposure', 'pct'],
];

function formatMetric(value: unknown, kind: 'pct' | 'num' | 'int'): string {
  if (typeof value !== 'number') return value === undefined || value === null ? '—' : String(value);
  if (kind === 'pct') return `${(value * 100).toFixed(2)}%`;
  return kind === 'int' ? String(Math.round(value)) : value.toFixed(2);
}

function EquityChart({ equity }: { equity: [number, number][] }) {
  const { containerRef, chart, theme } = useEChart();
  useEffect(() => {
    if (!chart) return;
    const colors = themeColors();
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      grid: { left: 60, right: 12, top: 10, bottom: 28 },
      xAxis: { type: 'time', axisLabel: { color: colors.muted } },
      yAxis: { type: 'value', scale: true, axisLabel: { color: colors.muted }, splitLine: { lineStyle: { color: colors.border, opacity: 0.4 } } },
      series: [{ name: 'Equity', type: 'line', showSymbol: false, data: equity, lineStyle: { color: colors.accent }, itemStyle: { color: colors.accent } }],
    });
  }, [chart, equity, theme]);
  return <div ref={containerRef} className="h-48 w-full" role="img" aria-label="Platform backtest equity curve" />;
}

function Timeline({ version }: { version: Version }) {
  const s = version.status;
  const report = asReport(version.validation);
  const steps: [string, boolean, boolean][] = [
    ['Uploaded', true, false],
    ['Validated and backtested', !!report?.accepted, s === 'rejected' && !version.reviewed_at],
    ['Staff review', s === 'published' || s === 'yanked' || (s === 'rejected' && !!version.reviewed_at), s === 'rejected' && !!version.reviewed_at],
    ['Published', s === 'published' || s === 'yanked', false],
  ];
  return (
    <ol className="flex flex-wrap gap-x-4 gap-y-1 text-xs" aria-label="Pipeline">
      {steps.map(([label, done, failed]) => (
        <li key={label} className={failed ? 'text-down' : done ? 'text-up' : 'text-muted'}>
          {failed ? '✗' : done ? '✓' : '○'} {label}
        </li>
      ))}
    </ol>
  );
}

function NextStep({ version }: { version: Version }) {
  const text: Record<string, string> = {
    validating: 'The platform is validating the module in the sandbox, then backtests it on the standard data set. This page updates by itself.',
    backtested: 'Validated; the platform backtest is running. This page updates by itself.',
    in_review: 'Validated and backtested: staff now review this version. Once approved it is published and subscribers can deploy it.',
    published: 'Published: subscribers can deploy this version.',
    rejected: 'Rejected: fix what the reason says and upload a new version (a new version number).',
    yanked: 'Yanked: withdrawn from the marketplace; deployments that ran it are paused.',
  };
  return <p className="text-sm text-muted">{text[version.status ?? 'validating']}</p>;
}

/** One version's pipeline: status, each validation check, and the platform backtest as they become available. */
export function VersionReport({ versionId, pollMs }: { versionId: number; pollMs?: number }) {
  const query = useVersion(versionId, pollMs);
  const version = query.data;
  if (query.isPending) return <Loading label="Loading the version…" />;
  if (!version) return <ErrorMessage error={query.error} />;
  const running = isInProgress(version.status);
  const report = running ? null : asReport(version.validation);
  const rows = checkRows(report);
  const backtest = (version.backtest ?? {}) as Backtest;
  const details = report?.details ?? {};

  return (
    <section className="flex flex-col gap-3" aria-label={`Version ${version.version} report`}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-semibold">Version <span className="font-mono">{version.version}</span></h3>
        <span role="status" aria-live="polite" aria-label="Version status"><VersionStatusBadge status={version.status} /></span>
        {running && <span className="text-xs text-muted">checking every few seconds…</span>}
      </div>
      <Timeline version={version} />
      <NextStep version={version} />
      {version.status === 'rejected' && version.reject_reason && (
        <p role="alert" className="rounded border border-down bg-[var(--fail-bg)] px-3 py-2 text-sm text-down">
          <strong>Reason:</strong> {version.reject_reason}
        </p>
      )}
      <ErrorMessage error={query.error} />
      <div>
        <h4 className="mb-1 text-sm font-semibold">Validation checks</h4>
        <ul className="flex flex-col gap-1 text-sm" aria-label="Validation checks">
          {rows.map((row) => (
            <li key={row.key} className="grid grid-cols-[1rem_1fr] gap-x-2" aria-label={`${row.label}: ${STATE_TEXT[row.state]}`}>
              <span className={`text-center font-bold ${TONES[row.state]}`} aria-hidden>{ICONS[row.state]}</span>
              <span>
                <span className={row.state === 'skipped' ? 'text-muted' : ''}>{row.label}</span>{' '}
                <span className={`whitespace-nowrap text-xs ${TONES[row.state]}`}>{STATE_TEXT[row.state]}</span>
                {row.message && <span className="block break-words font-mono text-xs text-down">{row.message}</span>}
              </span>
            </li>
          ))}
        </ul>
        {report && (
          <p className="mt-1 text-xs text-muted">
            {typeof details.validation_bars === 'number' && `${details.validation_bars.toLocaleString()} validation bars · `}
            {typeof report.fuel_per_bar === 'number' && `${report.fuel_per_bar.toLocaleString()} fuel per bar · `}
            {typeof details.seconds === 'number' && `${details.seconds} s · `}
            {version.size.toLocaleString()} bytes · sha256 <span className="font-mono">{version.sha256.slice(0, 12)}…</span>
          </p>
        )}
      </div>
      {backtest.metrics && (
        <div className="flex flex-col gap-2">
          <h4 className="text-sm font-semibold">Platform backtest (hypothetical, in-sample)</h4>
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-3" aria-label="Platform backtest metrics">
            {METRICS.filter(([key]) => key in (backtest.metrics ?? {})).map(([key, label, kind]) => (
              <div key={key} className="flex justify-between border-b border-border py-1">
                <dt className="text-muted">{label}</dt>
                <dd className="font-mono">{formatMetric(backtest.metrics?.[key], kind)}</dd>
              </div>
            ))}
          </dl>
          {backtest.equity && backtest.equity.length > 1 && <EquityChart equity={backtest.equity} />}
          {backtest.method && <p className="text-xs text-muted">{backtest.method}</p>}
        </div>
      )}
    </section>
  );
}
