// Offsets → (line, column), and columns of generated code back to the model's source.
// Lines never move (sucrase and the instrumenter both keep them), so only columns map.

/** 1-based line and 0-based column. */
export interface LineColumn {
  line: number;
  column: number;
}

/** Maps string offsets to lines and columns (binary search over line starts). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** Number of lines (a trailing newline opens one more, empty line). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** Position of `offset` (0 ≤ offset ≤ text length). */
  locate(offset: number): LineColumn {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! };
  }
}

const VLQ_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VLQ_VALUE = new Map(Array.from(VLQ_CHARS, (c, i) => [c, i]));

/**
 * Maps a column of the generated code back to the source column, from a single-source
 * version-3 source map whose generated lines equal the source lines (what sucrase emits).
 * Results are clamped to the source line's length.
 */
export class ColumnMap {
  /** Per generated line: [generatedColumn, sourceColumn] pairs, ascending. */
  private readonly lines: number[][] = [];
  private readonly sourceLineLengths: number[];

  /**
   * @param mappings the `mappings` field of the source map
   * @param source the source text
   */
  constructor(mappings: string, source: string) {
    this.sourceLineLengths = source.split('\n').map((l) => l.length);
    let sourceColumn = 0;
    for (const lineText of mappings.split(';')) {
      const pairs: number[] = [];
      let generatedColumn = 0;
      for (const segment of lineText.split(',')) {
        if (segment === '') continue;
        const fields = decodeVlq(segment);
        generatedColumn += fields[0] ?? 0;
        if (fields.length >= 4) {
          sourceColumn += fields[3]!;
          pairs.push(generatedColumn, sourceColumn);
        }
      }
      this.lines.push(pairs);
    }
  }

  /**
   * Declares that generated (line, column) is source column 0 of the line: text inserted
   * before it (sucrase's prefix on line 1) is skipped.
   */
  anchor(line: number, column: number): void {
    const pairs = this.lines[line - 1];
    if (!pairs) return;
    let i = 0;
    while (i < pairs.length && pairs[i]! <= column) i += 2;
    pairs.splice(0, i, column, 0);
  }

  /**
   * Source column of generated (line, column): the nearest mapped token at or before it,
   * plus the distance into that token. Unmapped lines keep the column.
   */
  sourceColumn(line: number, column: number): number {
    const pairs = this.lines[line - 1];
    let result = column;
    if (pairs) {
      let best = -1;
      for (let i = 0; i < pairs.length; i += 2) {
        if (pairs[i]! > column) break;
        best = i;
      }
      if (best >= 0) result = pairs[best + 1]! + (column - pairs[best]!);
    }
    return Math.max(0, Math.min(result, this.sourceLineLengths[line - 1] ?? result));
  }
}

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = VLQ_VALUE.get(ch);
    if (digit === undefined) throw new Error(`bad source map character '${ch}'`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
