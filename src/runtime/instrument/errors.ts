/**
 * A model that cannot be loaded: a syntax error (from sucrase or acorn) or an unsupported
 * construct, located in the model's own source.
 *
 * `message` is the bare reason ("Unexpected token"); `toString()` prefixes the location as
 * `file:line:column` (column 1-based there, as editors print it).
 */
export class ModelSyntaxError extends Error {
  override readonly name = 'ModelSyntaxError';

  /**
   * @param file the model file as given to the transform
   * @param line 1-based line
   * @param column 0-based column (UTF-16 units)
   * @param message the reason, without a location
   */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
  }

  /** `ModelSyntaxError: file:line:col: message`, col 1-based. */
  override toString(): string {
    return `${this.name}: ${this.file}:${this.line}:${this.column + 1}: ${this.message}`;
  }
}
