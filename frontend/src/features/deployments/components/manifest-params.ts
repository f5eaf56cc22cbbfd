import type { ManifestParam } from '@/features/deployments/api/types';

export type FieldKind = 'bool' | 'enum' | 'int' | 'float';
export type EnumOption = { value: string; label: string };

/** Form values are the inputs' strings, keyed by parameter name ("1"/"0" for a checkbox). */
export type ParamValues = Record<string, string>;

const ENUM_ENTRY = /(-?\d+)\s*[:=]\s*([^,;]+)/g;
const MAX_ENUM_VALUES = 20;

/** Options an int parameter's description spells out ("0: off, 1: long, 2: long/short") covering min..max. */
function describedOptions(param: ManifestParam): EnumOption[] | null {
  if (param.type !== 'int' || param.min === undefined || param.max === undefined) return null;
  const span = param.max - param.min + 1;
  if (span < 3 || span > MAX_ENUM_VALUES || !param.description) return null;
  const labels = new Map<number, string>();
  for (const [, value, label] of param.description.matchAll(ENUM_ENTRY)) labels.set(Number(value), (label ?? '').trim());
  const options: EnumOption[] = [];
  for (let v = param.min; v <= param.max; v += 1) {
    const label = labels.get(v);
    if (label === undefined) return null;
    options.push({ value: String(v), label: `${v}: ${label}` });
  }
  return options;
}

/** The options of an enum parameter (explicit `options`, or spelled out in an int's description). */
export function enumOptions(param: ManifestParam): EnumOption[] {
  if (param.options?.length) {
    return param.options.map((o) =>
      typeof o === 'object' ? { value: String(o.value), label: o.label ?? String(o.value) } : { value: String(o), label: String(o) },
    );
  }
  return describedOptions(param) ?? [];
}

/**
 * How to render a parameter: the ABI declares int and float; an int limited to 0..1 is a switch
 * (bool), an int whose description names every value is a choice (enum). bool/enum types are honoured too.
 */
export function fieldKind(param: ManifestParam): FieldKind {
  if (param.type === 'bool' || param.type === 'boolean') return 'bool';
  if (param.type === 'enum') return 'enum';
  if (param.type === 'int' && param.min === 0 && param.max === 1) return 'bool';
  if (describedOptions(param)) return 'enum';
  return param.type === 'int' ? 'int' : 'float';
}

function defaultString(param: ManifestParam): string {
  if (typeof param.default === 'boolean') return param.default ? '1' : '0';
  return String(param.default);
}

export function defaultValues(params: ManifestParam[]): ParamValues {
  return Object.fromEntries(params.map((p) => [p.name, defaultString(p)]));
}

/** The value to show for a parameter: what was typed, else its default. */
export function valueOf(param: ManifestParam, values: ParamValues): string {
  return values[param.name] ?? defaultString(param);
}

/** The problem with one parameter's value, or null; messages say what is allowed. */
export function paramProblem(param: ManifestParam, raw: string): string | null {
  const kind = fieldKind(param);
  if (kind === 'bool') return raw === '0' || raw === '1' ? null : `${param.name} must be on or off.`;
  if (kind === 'enum') {
    return enumOptions(param).some((o) => o.value === raw) ? null : `Choose one of the values of ${param.name}.`;
  }
  const text = raw.trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) return `${param.name} must be a number.`;
  if (kind === 'int' && !Number.isInteger(value)) return `${param.name} must be a whole number.`;
  if (param.min !== undefined && value < param.min) return `${param.name} must be at least ${param.min}.`;
  if (param.max !== undefined && value > param.max) return `${param.name} must be at most ${param.max}.`;
  return null;
}

/** Every problem, keyed by parameter name (empty when the values are valid). */
export function paramErrors(params: ManifestParam[], values: ParamValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params) {
    const problem = paramProblem(p, valueOf(p, values));
    if (problem) out[p.name] = problem;
  }
  return out;
}

/** The API's params object: numbers for every parameter (an enum of strings keeps its string). */
export function paramPayload(params: ManifestParam[], values: ParamValues): Record<string, number | string> {
  return Object.fromEntries(
    params.map((p) => {
      const raw = valueOf(p, values).trim();
      const n = Number(raw);
      return [p.name, raw !== '' && Number.isFinite(n) ? n : raw];
    }),
  );
}
