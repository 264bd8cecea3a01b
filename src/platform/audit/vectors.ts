/**
 * Consistency of the irqs' vector assignments (arch/x86/kernel/apic/vector.c apic_chip_data)
 * with the vector matrix and the CPUs' vector_irq tables.
 *
 * Each irq holds at most its current vector (`vector` on `cpu`; the shutdown vector of a
 * reservation is not a real one) and, while a move is unfinished, its previous vector
 * (`prev_vector` on `prev_cpu`). Every vector held is allocated in the matrix, no two irqs hold
 * the same one, and every allocated vector is held (none leaks). An irq with a global
 * reservation holds no vector, and the matrix's global_reserved counts those irqs. A move in
 * progress or a pending cleanup has a previous vector; a pending cleanup is no longer "in
 * progress". A started irq is activated, holds a real vector, and that vector is on an online
 * CPU. On an online CPU, vector_irq routes each vector an activated irq holds to that irq, and
 * routes no vector that no irq holds.
 *
 * Two exceptions are Linux's own, for vectors it leaves on a CPU that goes down:
 * - an irq that is not started keeps a fixed vector (no reservation mode: IMS, MSI without
 *   masking) and is not migrated (migrate_one_irq); fixup_irqs() clears the dying CPU's
 *   vector_irq, lapic_online() clears it again, and when the irq is requested later
 *   assign_vector_locked() keeps the vector because the CPU is online again — so vector_irq has
 *   no route for it, and its interrupts end in "No irq handler for vector";
 * - a started irq whose effective affinity does not name the dying CPU but names an online one
 *   is not migrated (irq_needs_fixup). That happens when an irq that kept its vector was given
 *   an affinity of offline CPUs while deactivated: Linux stores that mask as the effective
 *   affinity and activation keeps the vector elsewhere; once one of those CPUs is back online,
 *   taking the vector's CPU down strands the irq, whose messages are then dropped at the
 *   offline APIC.
 * VectorAudit records such vectors as CPUs go down — only where Linux's own rules leave them —
 * and `checkVectorOwners` accepts exactly those.
 */
import type { IrqCore } from '../irq/core';
import type { IrqDesc } from '../irq/irqdesc';
import { IRQD_ACTIVATED, IRQD_IRQ_STARTED } from '../irq/types';
import { FIRST_EXTERNAL_VECTOR, MANAGED_IRQ_SHUTDOWN_VECTOR, NR_VECTORS } from '../apic/vectors';
import type { VectorDomain } from '../apic/vector-domain';
import { checkMatrix } from './matrix';

/**
 * Returns the problems found in the irqs' vectors against the matrix and vector_irq (empty when
 * consistent).
 * @param stranded irq → `cpu * NR_VECTORS + vector` Linux left on that CPU as it went down (see
 *   the file comment): the vector on an offline CPU, or without a vector_irq route once it is
 *   back, is Linux's behaviour for those
 */
export function checkVectorOwners(
  core: IrqCore,
  vector: VectorDomain,
  stranded: ReadonlyMap<number, number> = new Map(),
): string[] {
  const problems: string[] = [];
  const mx = vector.matrix;
  /** `cpu * NR_VECTORS + vector` → the desc holding it. */
  const owner = new Map<number, IrqDesc>();
  let reserved = 0;
  const hold = (desc: IrqDesc, cpu: number, v: number, current: boolean): void => {
    const what = `irq ${desc.irq}: ${current ? 'vector' : 'previous vector'} ${v} on CPU ${cpu}`;
    if (mx.maps[cpu] === undefined || !mx.isAllocated(cpu, v))
      problems.push(`${what} is not allocated in the matrix`);
    const other = owner.get(cpu * NR_VECTORS + v);
    if (other !== undefined) problems.push(`${what} is also held by irq ${other.irq}`);
    else owner.set(cpu * NR_VECTORS + v, desc);
  };
  for (const desc of core.descs.all()) {
    const d = desc.irq_data;
    const a = vector.apicd(d);
    if (a === null) continue;
    const real = a.vector !== 0 && a.vector !== MANAGED_IRQ_SHUTDOWN_VECTOR;
    if (real) hold(desc, a.cpu, a.vector, true);
    if (a.prev_vector !== 0) hold(desc, a.prev_cpu, a.prev_vector, false);
    if (a.has_reserved) {
      reserved++;
      if (real) problems.push(`irq ${desc.irq}: has a reservation and vector ${a.vector}`);
    }
    if ((a.move_in_progress || a.cleanup_pending) && a.prev_vector === 0)
      problems.push(`irq ${desc.irq}: a move in progress or a cleanup without a previous vector`);
    if (a.move_in_progress && a.cleanup_pending)
      problems.push(`irq ${desc.irq}: cleanup pending while the move is still in progress`);
    if (d.has(IRQD_IRQ_STARTED) && !(d.has(IRQD_ACTIVATED) && real))
      problems.push(`irq ${desc.irq}: started without being activated on a real vector`);
    const cpu = core.cpus[a.cpu];
    const left = stranded.get(desc.irq) === a.cpu * NR_VECTORS + a.vector;
    if (d.has(IRQD_IRQ_STARTED) && real && cpu?.online !== true && !left)
      problems.push(
        `irq ${desc.irq}: started, with its vector ${a.vector} on offline CPU ${a.cpu}`,
      );
    if (d.has(IRQD_ACTIVATED) && real) {
      const route = cpu?.vector_irq[a.vector];
      if (cpu?.online === true && route !== desc && !(left && route === undefined))
        problems.push(
          `irq ${desc.irq}: CPU ${a.cpu}'s vector_irq[${a.vector}] routes to ` +
            `${routeName(route)}, not to it`,
        );
    }
  }
  if (reserved !== mx.global_reserved)
    problems.push(`global_reserved = ${mx.global_reserved}, ${reserved} irqs hold a reservation`);
  mx.maps.forEach((_cm, cpu) => {
    for (const v of mx.allocatedVectors(cpu))
      if (!owner.has(cpu * NR_VECTORS + v))
        problems.push(`vector ${v} on CPU ${cpu} is allocated but no irq holds it (leaked)`);
  });
  for (const cpu of core.cpus) {
    if (!cpu.online) continue;
    for (let v = FIRST_EXTERNAL_VECTOR; v < NR_VECTORS; v++) {
      const desc = cpu.vector_irq[v];
      if (desc === undefined) continue;
      if (owner.get(cpu.id * NR_VECTORS + v) !== desc)
        problems.push(
          `CPU ${cpu.id}'s vector_irq[${v}] routes to irq ${desc.irq}, which does not hold it`,
        );
    }
  }
  return problems;
}

function routeName(desc: IrqDesc | undefined): string {
  return desc === undefined ? 'nothing' : `irq ${desc.irq}`;
}

/**
 * The matrix and vector checks over a machine's life. It follows CPU hotplug between calls:
 * the vectors total_allocated still counts for offline CPUs (see matrix.ts) and the vectors
 * Linux leaves on a CPU that went down (see the file comment). Call `check`
 * at least once between two hotplug operations on the same CPU (e.g. after every step).
 */
export class VectorAudit {
  private readonly wasOnline: boolean[];
  private offlineCounted = 0;
  /** irq → `cpu * NR_VECTORS + vector` stranded on a CPU that went down. */
  private readonly stranded = new Map<number, number>();

  constructor(
    private readonly core: IrqCore,
    private readonly vector: VectorDomain,
  ) {
    this.wasOnline = vector.matrix.maps.map((cm) => cm.online);
  }

  /** The problems found now (empty when consistent). */
  check(): string[] {
    const mx = this.vector.matrix;
    mx.maps.forEach((cm, cpu) => {
      if (cm.online === this.wasOnline[cpu]) return;
      // irq_matrix_offline keeps the departing map's allocations in total_allocated;
      // irq_matrix_online does not add them again.
      this.offlineCounted += cm.online ? -cm.allocated : cm.allocated;
      this.wasOnline[cpu] = cm.online;
      if (!cm.online) this.strand(cpu);
    });
    for (const [irq, key] of this.stranded) {
      const desc = this.core.irq_to_desc(irq);
      const a = desc && this.vector.apicd(desc.irq_data);
      if (!a || a.cpu * NR_VECTORS + a.vector !== key) this.stranded.delete(irq);
    }
    return [
      ...checkMatrix(mx, this.offlineCounted),
      ...checkVectorOwners(this.core, this.vector, this.stranded),
    ];
  }

  /**
   * Records the vectors Linux leaves on `cpu` as it goes down (see the file comment): those of
   * irqs that are not started, and those of started irqs that irq_needs_fixup() passes over.
   */
  private strand(cpu: number): void {
    const online = (c: number): boolean => this.core.cpus[c]?.online === true;
    for (const desc of this.core.descs.all()) {
      const d = desc.irq_data;
      const a = this.vector.apicd(d);
      if (a?.cpu !== cpu || a.vector === 0) continue;
      const eff = d.common.effective_affinity;
      const passedOver = eff.length > 0 && !eff.includes(cpu) && eff.some(online);
      if (!d.has(IRQD_IRQ_STARTED) || passedOver)
        this.stranded.set(desc.irq, cpu * NR_VECTORS + a.vector);
    }
  }
}
