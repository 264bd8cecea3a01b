/**
 * The per-CPU vector allocation matrix, after Linux kernel/irq/matrix.c.
 *
 * Each CPU has an allocation bitmap over vectors [alloc_start, alloc_end); system vectors are
 * marked once in `system_map` and never handed out. A non-managed allocation picks the online
 * CPU in the requested mask with the most available vectors (strictly more: ties go to the
 * lowest-numbered CPU — matrix_find_best_cpu) and the lowest free vector at or above
 * alloc_start on it (matrix_alloc_area). A reservation only counts globally
 * (irq_matrix_reserve); the vector is taken at activation.
 */
import { formatBitList } from '../bits';

export interface CpuMap {
  available: number;
  allocated: number;
  managed: number;
  managed_allocated: number;
  online: boolean;
  initialized: boolean;
  /** Bits of allocated vectors. */
  readonly alloc_map: Uint32Array;
  /** Bits reserved for managed interrupts. */
  readonly managed_map: Uint32Array;
}

/** Linux errno values the matrix returns (as negative numbers). */
export const ENOSPC = 28;
export const EINVAL = 22;

export class IrqMatrix {
  readonly maps: CpuMap[];
  readonly system_map = new Uint32Array(8);
  global_available = 0;
  global_reserved = 0;
  total_allocated = 0;
  online_maps = 0;
  systembits_inalloc = 0;
  readonly alloc_size: number;

  /**
   * @param ncpus number of possible CPUs
   * @param alloc_start first allocatable vector (FIRST_EXTERNAL_VECTOR)
   * @param alloc_end first vector past the allocatable range (FIRST_SYSTEM_VECTOR)
   */
  constructor(
    ncpus: number,
    readonly alloc_start: number,
    readonly alloc_end: number,
    readonly matrix_bits = 256,
  ) {
    this.alloc_size = alloc_end - alloc_start;
    this.maps = Array.from({ length: ncpus }, () => ({
      available: 0,
      allocated: 0,
      managed: 0,
      managed_allocated: 0,
      online: false,
      initialized: false,
      alloc_map: new Uint32Array(8),
      managed_map: new Uint32Array(8),
    }));
  }

  /** irq_matrix_assign_system: marks `bit` as a system vector (before CPUs come online). */
  assignSystem(bit: number): void {
    if (testBit(this.system_map, bit)) return;
    setBit(this.system_map, bit);
    if (bit >= this.alloc_start && bit < this.alloc_end) this.systembits_inalloc++;
  }

  /** irq_matrix_online: brings `cpu`'s map online. */
  online(cpu: number): void {
    const cm = this.map(cpu);
    if (cm.online) return;
    if (!cm.initialized) {
      cm.available = this.alloc_size - cm.managed - this.systembits_inalloc;
      cm.initialized = true;
    }
    this.global_available += cm.available;
    cm.online = true;
    this.online_maps++;
  }

  /** irq_matrix_offline: takes `cpu`'s map offline (its allocations stay). */
  offline(cpu: number): void {
    const cm = this.map(cpu);
    if (!cm.online) return;
    this.global_available -= cm.available;
    cm.online = false;
    this.online_maps--;
  }

  /** irq_matrix_reserve: a global reservation without a vector. */
  reserve(): void {
    this.global_reserved++;
  }

  /** irq_matrix_remove_reserved: drops one global reservation. */
  removeReserved(): void {
    this.global_reserved--;
  }

  /**
   * irq_matrix_alloc: allocates one vector on the best CPU in `cpus`.
   * @param reserved the allocation consumes a global reservation
   * @returns `{ cpu, vector }`, or a negative errno (-EINVAL for an empty mask, -ENOSPC)
   */
  alloc(cpus: readonly number[], reserved: boolean): { cpu: number; vector: number } | number {
    if (cpus.length === 0) return -EINVAL;
    let best = -1;
    let maxavl = 0;
    for (const cpu of cpus) {
      const cm = this.maps[cpu];
      if (cm === undefined || !cm.online || cm.available === 0 || cm.available < maxavl) continue;
      // for_each_cpu() walks a cpumask in CPU order: on a tie the lower CPU wins, whatever
      // order the caller listed the CPUs in.
      if (cm.available === maxavl && cpu > best) continue;
      best = cpu;
      maxavl = cm.available;
    }
    if (best < 0) return -ENOSPC;
    const cm = this.maps[best]!;
    const vector = this.findFree(cm);
    if (vector < 0) return -ENOSPC;
    setBit(cm.alloc_map, vector);
    cm.allocated++;
    cm.available--;
    this.total_allocated++;
    this.global_available--;
    if (reserved) this.global_reserved--;
    return { cpu: best, vector };
  }

  /** irq_matrix_free: releases `vector` on `cpu`. Freeing a free vector is ignored (Linux WARNs). */
  free(cpu: number, vector: number): boolean {
    const cm = this.map(cpu);
    if (vector < this.alloc_start || vector >= this.alloc_end || !testBit(cm.alloc_map, vector))
      return false;
    clearBit(cm.alloc_map, vector);
    cm.allocated--;
    // irq_matrix_free(): the global counters only count online CPUs.
    if (cm.online) {
      this.total_allocated--;
      this.global_available++;
    }
    cm.available++;
    return true;
  }

  /** irq_matrix_available: vectors available on the online CPUs in `cpus`. */
  available(cpus: readonly number[]): number {
    return cpus.reduce((n, c) => n + (this.maps[c]?.online ? this.maps[c].available : 0), 0);
  }

  /** irq_matrix_allocated() on `cpu`: its allocated non-managed vectors. */
  allocatedOn(cpu: number): number {
    const cm = this.map(cpu);
    return cm.allocated - cm.managed_allocated;
  }

  /** irq_matrix_available(m, cpudown = true) on `cpu`: what the other online CPUs have. */
  availableWithout(cpu: number): number {
    const cm = this.map(cpu);
    return this.global_available - (cm.online ? cm.available : 0);
  }

  /** Whether `vector` is allocated on `cpu`. */
  isAllocated(cpu: number, vector: number): boolean {
    return testBit(this.map(cpu).alloc_map, vector);
  }

  /** Allocated vectors on `cpu`, ascending. */
  allocatedVectors(cpu: number): number[] {
    return bits(this.map(cpu).alloc_map);
  }

  /** System vectors, ascending. */
  systemVectors(): number[] {
    return bits(this.system_map);
  }

  /**
   * The text of irq_matrix_debug_show (kernel/irq/matrix.c) for the VECTOR domain's debugfs file,
   * with `ind` as the seq_printf `%*s` indent: the counters unindented, the table indented.
   */
  debugShow(ind: number): string {
    const pad = ' '.padStart(ind);
    const sys = this.systemVectors();
    const u4 = (n: number): string => String(n).padStart(4);
    const lines = [
      `Online bitmaps:   ${String(this.online_maps).padStart(6)}`,
      `Global available: ${String(this.global_available).padStart(6)}`,
      `Global reserved:  ${String(this.global_reserved).padStart(6)}`,
      `Total allocated:  ${String(this.total_allocated).padStart(6)}`,
      `System: ${sys.length}: ${formatBitList(sys)}`,
      `${pad}| CPU | avl | man | mac | act | vectors`,
    ];
    this.maps.forEach((cm, cpu) => {
      if (!cm.online) return;
      const v = formatBitList(bits(cm.alloc_map));
      lines.push(
        `${pad} ${u4(cpu)}  ${u4(cm.available)}  ${u4(cm.managed)}  ${u4(cm.managed_allocated)} ${u4(cm.allocated)}  ${v}`,
      );
    });
    return lines.join('\n') + '\n';
  }

  private map(cpu: number): CpuMap {
    const cm = this.maps[cpu];
    if (cm === undefined)
      throw new RangeError(`CPU ${cpu} does not exist (0..${this.maps.length - 1})`);
    return cm;
  }

  private findFree(cm: CpuMap): number {
    for (let v = this.alloc_start; v < this.alloc_end; v++) {
      if (!testBit(cm.alloc_map, v) && !testBit(cm.managed_map, v) && !testBit(this.system_map, v))
        return v;
    }
    return -1;
  }
}

function testBit(m: Uint32Array, b: number): boolean {
  return (m[b >>> 5]! & (1 << (b & 31))) !== 0;
}

function setBit(m: Uint32Array, b: number): void {
  m[b >>> 5] = m[b >>> 5]! | (1 << (b & 31));
}

function clearBit(m: Uint32Array, b: number): void {
  m[b >>> 5] = m[b >>> 5]! & ~(1 << (b & 31));
}

function bits(m: Uint32Array): number[] {
  const out: number[] = [];
  for (let b = 0; b < 256; b++) if (testBit(m, b)) out.push(b);
  return out;
}
