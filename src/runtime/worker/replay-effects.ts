/**
 * Re-applies a logged side effect (src/runtime/replay-log.ts) in a replaying worker, at the
 * position it was first made: through the same request handlers as the first time, except a
 * register write, which was logged resolved (its variable handle does not outlive the stop).
 */
import type { Machine } from '../../platform/machine/machine';
import type { SideEffect } from '../replay-log';
import type { RequestMap, RequestMessage } from '../protocol';
import { writeTarget, type VarTarget } from './reg-targets';

/** @param handle the worker's request handler */
export function effectApplier(
  handle: (msg: RequestMessage) => unknown,
  machine: Machine,
): (e: SideEffect) => void {
  const request = <C extends keyof RequestMap>(command: C, args: RequestMap[C]): unknown =>
    handle({ type: 'request', seq: 0, command, args });
  return (e) => {
    switch (e.kind) {
      case 'evaluate':
        request('evaluate', { expression: e.expression, frameId: e.frameId, context: 'repl' });
        return;
      case 'assign':
        request('setExpression', { expression: e.lvalue, value: e.value, frameId: e.frameId });
        return;
      case 'register':
        writeTarget(machine, e.target as VarTarget, e.value);
        return;
      case 'writeMemory':
        request('writeMemory', {
          address: e.address,
          data: e.data,
          allowPartial: e.allowPartial,
        });
        return;
    }
  };
}
