/**
 * Consistency of the vector matrix (kernel/irq/matrix.c): its counters against its bitmaps.
 *
 * Per CPU map: `allocated` is the number of bits in alloc_map, `managed` the number in
 * managed_map, `managed_allocated` the number in both; no allocated bit is a system vector or
 * outside [alloc_start, alloc_end); an initialised map has
 * available = alloc_size − managed − systembits_inalloc − (allocated − managed_allocated),
 * an uninitialised one (never online) has nothing. Globally: global_available is the sum of
 * `available` over online maps, online_maps counts them, systembits_inalloc counts the system
 * vectors inside the allocation range, and total_allocated is the sum of `allocated` over online
 * maps plus what offline maps still held when they went offline.
 *
 * That last term is Linux's own accounting: irq_matrix_offline() keeps a departing CPU's
 * allocations in total_allocated and irq_matrix_free() on an offline CPU does not subtract them,
 * so vectors left on a CPU as it goes down (an irq that is not started is not migrated) stay
 * counted. The caller tracks the term across hotplug (see VectorAudit).
 */
import type { IrqMatrix } from '../apic/matrix';

/**
 * Returns the problems found (empty when the matrix is consistent).
 * @param offlineCounted vectors total_allocated still counts for CPUs that went offline
 */
export function checkMatrix(mx: IrqMatrix, offlineCounted: number): string[] {
  const problems: string[] = [];
  let avl = 0;
  let alloc = 0;
  let online = 0;
  let sysIn = 0;
  for (let v = mx.alloc_start; v < mx.alloc_end; v++) if (test(mx.system_map, v)) sysIn++;
  if (sysIn !== mx.systembits_inalloc)
    problems.push(`systembits_inalloc is ${mx.systembits_inalloc}, the system map has ${sysIn}`);
  mx.maps.forEach((cm, cpu) => {
    const where = `CPU ${cpu}`;
    let bits = 0;
    let managedBits = 0;
    let both = 0;
    for (let v = 0; v < mx.matrix_bits; v++) {
      const a = test(cm.alloc_map, v);
      const m = test(cm.managed_map, v);
      if (a) bits++;
      if (m) managedBits++;
      if (a && m) both++;
      if (a && (v < mx.alloc_start || v >= mx.alloc_end))
        problems.push(`${where}: vector ${v} allocated outside the allocation range`);
      if (a && test(mx.system_map, v)) problems.push(`${where}: system vector ${v} is allocated`);
    }
    if (bits !== cm.allocated)
      problems.push(`${where}: allocated = ${cm.allocated}, alloc_map has ${bits} bits`);
    if (managedBits !== cm.managed)
      problems.push(`${where}: managed = ${cm.managed}, managed_map has ${managedBits} bits`);
    if (both !== cm.managed_allocated)
      problems.push(`${where}: managed_allocated = ${cm.managed_allocated}, ${both} such bits`);
    if (cm.initialized) {
      const want =
        mx.alloc_size - cm.managed - mx.systembits_inalloc - (cm.allocated - cm.managed_allocated);
      if (cm.available !== want)
        problems.push(`${where}: available = ${cm.available}, the bitmaps say ${want}`);
    } else if (cm.available !== 0 || cm.allocated !== 0 || cm.online) {
      problems.push(`${where}: never initialised, yet has counts or is online`);
    }
    if (cm.online) {
      online++;
      avl += cm.available;
      alloc += cm.allocated;
    }
  });
  if (online !== mx.online_maps)
    problems.push(`online_maps = ${mx.online_maps}, ${online} maps are online`);
  if (avl !== mx.global_available)
    problems.push(`global_available = ${mx.global_available}, online maps have ${avl}`);
  if (alloc + offlineCounted !== mx.total_allocated)
    problems.push(
      `total_allocated = ${mx.total_allocated}, online maps have ${alloc} ` +
        `(+ ${offlineCounted} kept from offline CPUs)`,
    );
  if (mx.global_reserved < 0) problems.push(`global_reserved = ${mx.global_reserved} < 0`);
  return problems;
}

/** Whether bit `b` is set in a 256-bit map. */
export function test(map: Uint32Array, b: number): boolean {
  return (map[b >>> 5]! & (1 << (b & 31))) !== 0;
}
