/**
 * Reading V8 stack traces (`Error.prototype.stack`): the frames, and the frames that belong to
 * the user's driver model. A model file is compiled under its own path (see the runtime's
 * loader), so its frames name the model's file, line and column; uninstrumented (headless)
 * code keeps the source's columns too.
 */

/** One stack frame. `line` and `column` are 1-based, as V8 prints them. */
export interface StackFrame {
  /** Function as V8 names it (`read_status`, `Object.probe`, `Object.<anonymous>`), or ''. */
  fn: string;
  file: string;
  line: number;
  column: number;
}

const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

/** The frames of a V8 stack trace, innermost first; lines that are not frames are skipped. */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const text of stack.split('\n')) {
    const m = FRAME.exec(text);
    if (m === null) continue;
    frames.push({ fn: m[1] ?? '', file: m[2]!, line: Number(m[3]), column: Number(m[4]) });
  }
  return frames;
}

/**
 * A function name as a reader knows it: V8's receiver prefix dropped (`Object.probe` → `probe`),
 * and the module's top level as `<module>`.
 */
export function displayFunction(fn: string): string {
  if (fn === '' || fn === 'Object.<anonymous>') return '<module>';
  return fn.replace(/^(?:Object|Function|async)[. ]/, '');
}
