/**
 * A machine's invariants, checked from outside: message conservation (ledger.ts), where pending
 * messages wait (held.ts), the vector matrix (matrix.ts) and the irqs' vectors (vectors.ts).
 * Property tests and the MMIO fuzz benchmark call `check` after their steps; a problem is a
 * sentence naming what is inconsistent.
 */
import type { Machine } from '../machine/machine';
import { checkHeldMessages } from './held';
import { MessageLedger } from './ledger';
import { VectorAudit } from './vectors';

export { MessageLedger } from './ledger';
export { checkHeldMessages } from './held';
export { checkMatrix } from './matrix';
export { checkVectorOwners, VectorAudit } from './vectors';

export class MachineAudit {
  readonly ledger: MessageLedger;
  private readonly vectors: VectorAudit;

  /**
   * Starts following `m`. Attach it before the machine raises its first message (a freshly
   * built machine has raised none). Throws Error otherwise.
   */
  constructor(readonly m: Machine) {
    this.ledger = new MessageLedger(m.trace);
    this.vectors = new VectorAudit(m.core, m.vector);
  }

  /**
   * The problems found now; empty when every invariant holds. Call it after every step that
   * may take a CPU down or up (see VectorAudit).
   * @param full also the checks that cost O(table sizes + messages): every MSI-X entry and IMS
   *   slot's held message, and the trace's own whole-run check
   */
  check(full = false): string[] {
    const problems = [
      ...this.ledger.check(),
      ...checkHeldMessages(this.m, this.ledger.pending, full),
      ...this.vectors.check(),
    ];
    if (full) problems.push(...this.m.trace.check().map((p) => `trace.check: ${p}`));
    return problems;
  }

  /** Stops following the machine's trace. */
  detach(): void {
    this.ledger.detach();
  }
}
