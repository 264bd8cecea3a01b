/**
 * Diagnostics of an accel-config file: each names the file, the line and column, a readable
 * place (`dsa0 › group0.1 › wq0.1`) and the field, and formats like a compiler message:
 *
 *     os_profile.conf:12:20: dsa0 › group0.0 › wq0.0: "size": 300 exceeds the device's total WQ size 128
 *     os_profile.conf:7:9: warning: dsa0 › group0.0: "colour": unknown key, ignored (…)
 *
 * Errors are what `accel-config load-config` or the idxd driver would refuse; warnings are what
 * they accept but ignore or adjust.
 */

export type Severity = 'error' | 'warning';

/** One finding, positioned in the file. Lines and columns are 1-based; offsets 0-based. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly length: number;
  /** `dsa0 › group0.0 › wq0.0`; '' at the top level. */
  readonly place: string;
  /** The key the finding is about, when there is one. */
  readonly field?: string;
  readonly message: string;
}

/** `file:line:column: [warning: ][place: ]["field": ]message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}`;
  const place = d.place === '' ? '' : `${d.place}: `;
  const field = d.field === undefined ? '' : `"${d.field}": `;
  return head + place + field + d.message;
}

/**
 * Thrown when a configuration cannot be loaded. `message` lists every error, one per line;
 * `diagnostics` holds them (and the warnings found alongside) as data.
 */
export class AccelConfigError extends Error {
  override readonly name = 'AccelConfigError';

  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(
      diagnostics
        .filter((d) => d.severity === 'error')
        .map(formatDiagnostic)
        .join('\n'),
    );
  }

  /** The errors only. */
  get errors(): readonly Diagnostic[] {
    return this.diagnostics.filter((d) => d.severity === 'error');
  }
}
