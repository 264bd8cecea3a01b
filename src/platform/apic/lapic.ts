/**
 * A CPU's local APIC: the 256-bit IRR, ISR and TMR, the processor priority, acceptance of fixed
 * interrupts and EOI.
 *
 * Source: Intel SDM Vol. 3A §11.8 (handling interrupts: IRR/ISR/TMR, PPR, EOI) — priority class =
 * vector >> 4; a vector in IRR is dispatched when its class is above PPR's class and the CPU has
 * interrupts enabled; one IRR bit per vector, so a second message for a vector already in IRR
 * is merged with it; vectors 0–15 are illegal (ESR "received illegal vector", bit 6).
 */

/** ESR bit 6: received illegal vector (SDM §11.5.3). */
export const ESR_RECEIVE_ILLEGAL_VECTOR = 1 << 6;

/** Results of `accept`: accepted; merged into an IRR bit already set; illegal vector 0–15 (ESR bit 6). */
export const Accept = { Accepted: 0, Coalesced: 1, Illegal: 2 } as const;
export type Accept = (typeof Accept)[keyof typeof Accept];

export class LocalApic {
  /** Interrupt request register: bit v set = vector v requested. 8 × 32 bits. */
  readonly irr = new Uint32Array(8);
  /** In-service register. */
  readonly isr = new Uint32Array(8);
  /** Trigger mode register (1 = level). */
  readonly tmr = new Uint32Array(8);
  /** Message id that set each IRR bit (0 = none), to link dispatch with the trace. */
  readonly irrMessage = new Int32Array(256);
  /** Task priority register (bits 7:4 class, 3:0 subclass). */
  tpr = 0;
  /** Error status register. */
  esr = 0;
  /** Number of bits set in IRR (a fast "nothing requested" test for the delivery path). */
  private irrCount = 0;

  /** @param apicId this APIC's ID (x2APIC: 32 bits) */
  constructor(readonly apicId: number) {}

  /**
   * Accepts a fixed-mode interrupt with `vector` (SDM §11.8.3): sets IRR (and TMR for level).
   * `messageId` is remembered for the trace.
   */
  accept(vector: number, level: boolean, messageId: number): Accept {
    if (vector < 16) {
      this.esr |= ESR_RECEIVE_ILLEGAL_VECTOR;
      return Accept.Illegal;
    }
    const w = vector >>> 5;
    const b = 1 << (vector & 31);
    if ((this.irr[w]! & b) !== 0) return Accept.Coalesced;
    this.irr[w] = this.irr[w]! | b;
    this.irrCount++;
    this.tmr[w] = level ? this.tmr[w]! | b : this.tmr[w]! & ~b;
    this.irrMessage[vector] = messageId;
    return Accept.Accepted;
  }

  /** Highest vector set in IRR, or -1. */
  highestIrr(): number {
    return highest(this.irr);
  }

  /** Highest vector set in ISR, or -1. */
  highestIsr(): number {
    return highest(this.isr);
  }

  /** Processor priority (SDM §11.8.3.1): TPR if its class ≥ the highest in-service class, else ISRV & 0xf0. */
  get ppr(): number {
    const isrv = this.highestIsr();
    const isrClass = isrv < 0 ? 0 : isrv & 0xf0;
    return (this.tpr & 0xf0) >= isrClass ? this.tpr & 0xff : isrClass;
  }

  /** The vector the APIC would dispatch now (if the CPU has interrupts enabled), or -1. */
  deliverable(): number {
    if (this.irrCount === 0) return -1;
    const v = this.highestIrr();
    if (v < 0) return -1;
    return v >>> 4 > this.ppr >>> 4 ? v : -1;
  }

  /**
   * INTA: moves the deliverable vector from IRR to ISR and returns it with the message id that
   * set it, or returns -1 when nothing is deliverable.
   */
  acknowledge(): number {
    const v = this.deliverable();
    if (v < 0) return -1;
    const w = v >>> 5;
    const b = 1 << (v & 31);
    this.irr[w] = this.irr[w]! & ~b;
    this.irrCount--;
    this.isr[w] = this.isr[w]! | b;
    return v;
  }

  /** EOI write: clears the highest ISR bit and returns its vector (-1 if ISR was empty). */
  eoi(): number {
    const v = this.highestIsr();
    if (v >= 0) this.isr[v >>> 5] = this.isr[v >>> 5]! & ~(1 << (v & 31));
    return v;
  }

  /** Whether `vector`'s bit is set in `reg`. */
  static test(reg: Uint32Array, vector: number): boolean {
    return (reg[vector >>> 5]! & (1 << (vector & 31))) !== 0;
  }

  /** Vectors set in `reg`, ascending. */
  static vectors(reg: Uint32Array): number[] {
    const out: number[] = [];
    for (let v = 0; v < 256; v++) if (LocalApic.test(reg, v)) out.push(v);
    return out;
  }

  /** Clears all state (INIT). */
  reset(): void {
    this.irr.fill(0);
    this.isr.fill(0);
    this.tmr.fill(0);
    this.irrMessage.fill(0);
    this.irrCount = 0;
    this.tpr = 0;
    this.esr = 0;
  }
}

function highest(reg: Uint32Array): number {
  for (let w = 7; w >= 0; w--) {
    const x = reg[w]!;
    if (x !== 0) return w * 32 + 31 - Math.clz32(x);
  }
  return -1;
}
