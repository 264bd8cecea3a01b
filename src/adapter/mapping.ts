/** Runtime shapes → DAP shapes. */
import { Source, StackFrame, Scope, OutputEvent, StoppedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type {
  BreakpointResult,
  RuntimeFrame,
  RuntimeScope,
  RuntimeVariable,
  StopInfo,
  WorkerEvent,
} from '../runtime/protocol';

/** DAP thread id of emulated CPU `cpu` (thread ids start at 1). */
export const threadOf = (cpu: number): number => cpu + 1;
export const cpuOf = (threadId: number): number => threadId - 1;

export function toStackFrame(f: RuntimeFrame): DebugProtocol.StackFrame {
  const sf: DebugProtocol.StackFrame = new StackFrame(
    f.id,
    f.name,
    f.source ? new Source(f.source.name, f.source.path) : undefined,
    f.line,
    f.column,
  );
  if (f.kind === 'kernel') sf.presentationHint = 'subtle';
  if (f.kind === 'irq' || f.kind === 'idle') sf.presentationHint = 'label';
  return sf;
}

export function toScope(s: RuntimeScope): DebugProtocol.Scope {
  const scope: DebugProtocol.Scope = new Scope(s.name, s.variablesReference, s.expensive);
  if (s.hint) scope.presentationHint = s.hint;
  if (s.indexedVariables !== undefined) scope.indexedVariables = s.indexedVariables;
  if (s.namedVariables !== undefined) scope.namedVariables = s.namedVariables;
  return scope;
}

export function toVariable(v: RuntimeVariable): DebugProtocol.Variable {
  const out: DebugProtocol.Variable = {
    name: v.name,
    value: v.value,
    variablesReference: v.variablesReference,
  };
  if (v.type !== undefined) out.type = v.type;
  if (v.evaluateName !== undefined) out.evaluateName = v.evaluateName;
  if (v.indexedVariables !== undefined) out.indexedVariables = v.indexedVariables;
  if (v.namedVariables !== undefined) out.namedVariables = v.namedVariables;
  // Registers setVariable can write are plain properties; the others are read-only.
  if (v.register)
    out.presentationHint = v.editable
      ? { kind: 'property' }
      : { kind: 'property', attributes: ['readOnly'] };
  if (v.memoryReference !== undefined) out.memoryReference = v.memoryReference;
  return out;
}

export function toBreakpoint(r: BreakpointResult): DebugProtocol.Breakpoint {
  const b: DebugProtocol.Breakpoint = { id: r.id, verified: r.verified };
  if (r.line !== undefined) b.line = r.line;
  if (r.column !== undefined) b.column = r.column;
  if (r.message !== undefined) b.message = r.message;
  return b;
}

export function toStoppedEvent(s: StopInfo): DebugProtocol.StoppedEvent {
  const ev: DebugProtocol.StoppedEvent = new StoppedEvent(s.reason, threadOf(s.cpu), s.text);
  ev.body.allThreadsStopped = true;
  if (s.description !== undefined) ev.body.description = s.description;
  if (s.hitBreakpointIds) ev.body.hitBreakpointIds = s.hitBreakpointIds;
  return ev;
}

export function toOutputEvent(
  e: Extract<WorkerEvent, { type: 'output' }>,
): DebugProtocol.OutputEvent {
  const ev: DebugProtocol.OutputEvent = new OutputEvent(e.text, e.category);
  if (e.path !== undefined && e.line !== undefined) {
    ev.body.source = new Source(e.path.split(/[\\/]/).pop() ?? e.path, e.path);
    ev.body.line = e.line;
  }
  return ev;
}
