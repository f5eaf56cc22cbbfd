/**
 * The upload checks in the order the sandbox runs them (docs/strategy-abi.md, "Validation at upload"),
 * with the reason codes each can fail with. The report names only the first failure, so the checks
 * before it passed and the ones after it did not run.
 */
export const CHECKS: { key: string; label: string; codes: string[] }[] = [
  { key: 'size', label: 'Module size within your tier’s limit', codes: ['module_too_large'] },
  { key: 'compile', label: 'Compiles as WebAssembly', codes: ['invalid_module'] },
  { key: 'imports', label: 'Imports only qt.log (no I/O, clock or randomness)', codes: ['forbidden_import'] },
  { key: 'exports', label: 'ABI exports and qt_abi_version', codes: ['abi_mismatch'] },
  { key: 'manifest', label: 'Manifest', codes: ['manifest_invalid'] },
  { key: 'init', label: 'Instantiates; qt_init accepts the default parameters', codes: ['init_failed', 'invalid_params', 'memory_limit', 'table_limit', 'bad_pointer'] },
  { key: 'runs', label: 'Runs the validation bars within fuel, time and output limits', codes: ['trap', 'stack_overflow', 'fuel_exhausted', 'deadline_exceeded', 'bad_output', 'instance_failed'] },
  { key: 'determinism', label: 'Deterministic (two fresh instances agree)', codes: ['nondeterministic'] },
  { key: 'lookahead', label: 'No look-ahead', codes: ['look_ahead'] },
  { key: 'batch', label: 'Batch equals stream (same outputs however the bars are split)', codes: ['batch_stream_mismatch'] },
];

export type CheckState = 'pending' | 'passed' | 'failed' | 'skipped';
export type CheckRow = { key: string; label: string; state: CheckState; message?: string };

export type ValidationReport = {
  accepted?: boolean;
  code?: string;
  message?: string;
  fuel_per_bar?: number | null;
  details?: Record<string, unknown>;
};

export function asReport(value: unknown): ValidationReport | null {
  if (typeof value !== 'object' || value === null || !('accepted' in value)) return null;
  return value as ValidationReport;
}

/** Each check's state from the report; `null` report = still running. The platform backtest comes last. */
export function checkRows(report: ValidationReport | null): CheckRow[] {
  const backtest = { key: 'backtest', label: 'Platform backtest (standard data set)' };
  if (!report) return [...CHECKS, backtest].map((c) => ({ key: c.key, label: c.label, state: 'pending' }));
  const backtestFailed = !report.accepted && (report.message ?? '').startsWith('backtest:');
  if (report.accepted || backtestFailed) {
    return [
      ...CHECKS.map((c) => ({ key: c.key, label: c.label, state: 'passed' as const })),
      backtestFailed
        ? { ...backtest, state: 'failed', message: `${report.code}: ${(report.message ?? '').replace(/^backtest:\s*/, '')}` }
        : { ...backtest, state: 'passed' },
    ];
  }
  let failedAt = CHECKS.findIndex((c) => c.codes.includes(report.code ?? ''));
  if (failedAt === -1) failedAt = CHECKS.findIndex((c) => c.key === 'runs'); // an unlisted runtime code
  return [
    ...CHECKS.map((c, i) => ({
      key: c.key,
      label: c.label,
      state: (i < failedAt ? 'passed' : i === failedAt ? 'failed' : 'skipped') as CheckState,
      message: i === failedAt ? `${report.code}: ${report.message}` : undefined,
    })),
    { ...backtest, state: 'skipped' },
  ];
}
