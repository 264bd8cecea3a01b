/**
 * Where an exception happened in the model: the first stack frame in a model file (the kernel
 * API's own frames, in the bundle, are skipped), as path, 1-based line and column.
 */
export function errorLocation(
  e: unknown,
  modelFiles: readonly string[],
): { path: string; line: number; column: number } | undefined {
  if (
    typeof e === 'object' &&
    e !== null &&
    'file' in e &&
    'line' in e &&
    typeof e.line === 'number' &&
    typeof e.file === 'string'
  ) {
    const col = 'column' in e && typeof e.column === 'number' ? e.column + 1 : 1;
    return { path: e.file, line: e.line, column: col };
  }
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  for (const line of stack.split('\n')) {
    const m = /\(?((?:[A-Za-z]:)?[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (m && modelFiles.includes(m[1]!))
      return { path: m[1]!, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}
