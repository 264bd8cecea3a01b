/**
 * The four views of the Run and Debug container, by contributed view id. Each renders one
 * snapshot (with the previous stop's for highlights) into root rows; package.json's
 * `contributes.views.debug` lists the same ids (a test keeps them in step).
 */
import type { RenderContext } from '../model/context';
import type { ViewNode } from '../model/node';
import { domainsView } from './domains';
import { imsSlotsView } from './ims-slots';
import { pendingView } from './pending';
import { remappingView } from './remapping';

export interface ViewDefinition {
  /** Contributed view id. */
  readonly id: string;
  /** View title (package.json `name`). */
  readonly title: string;
  readonly render: (ctx: RenderContext) => ViewNode[];
}

export const VIEWS: readonly ViewDefinition[] = [
  { id: 'ims-debug.irqDomains', title: 'IRQ Domains', render: domainsView },
  { id: 'ims-debug.imsSlots', title: 'IMS Slots', render: imsSlotsView },
  { id: 'ims-debug.remapping', title: 'Interrupt Remapping', render: remappingView },
  { id: 'ims-debug.pending', title: 'Pending Interrupts', render: pendingView },
];
