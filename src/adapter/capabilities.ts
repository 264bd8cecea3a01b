/**
 * What the adapter tells the client in answer to `initialize`: the DAP features it supports and
 * the exception filters the Breakpoints view lists.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXCEPTION_FILTERS } from './launch-args';

/** The exception filters shown in the Breakpoints view (ids are DESIGN.md §3's). */
export const EXCEPTION_BREAKPOINT_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  {
    filter: EXCEPTION_FILTERS.interrupt,
    label: 'Interrupt delivered',
    description: 'Stop in the handler when a CPU takes an interrupt',
    supportsCondition: true,
    conditionDescription:
      'e.g. vector == 0x41 && cpu == 2 (also virq, hwirq, slot, index, source, bdf, irte, pasid)',
  },
  {
    filter: EXCEPTION_FILTERS.remapFault,
    label: 'Remapping fault',
    description: 'Stop when an IR unit blocks a message (VT-d fault 0x20–0x26)',
    supportsCondition: true,
    conditionDescription: 'e.g. fault == 0x22 || irte == 17',
  },
  {
    filter: EXCEPTION_FILTERS.maskedMessage,
    label: 'Message to a masked entry',
    description: 'Stop when an MSI-X entry or IMS slot holds a message because it is masked',
    supportsCondition: true,
    conditionDescription: "e.g. source == 'ims' && slot == 3",
  },
  {
    filter: EXCEPTION_FILTERS.uncaught,
    label: 'Uncaught exceptions',
    description: 'Stop where an exception no model code catches is thrown',
    default: true,
  },
];

/** The body of the `initialize` response. */
export function capabilities(): DebugProtocol.Capabilities {
  return {
    supportsConfigurationDoneRequest: true,
    supportsConditionalBreakpoints: true,
    supportsFunctionBreakpoints: true,
    supportsHitConditionalBreakpoints: true,
    supportsLogPoints: true,
    supportsEvaluateForHovers: true,
    supportsCompletionsRequest: true,
    completionTriggerCharacters: ['.'],
    supportsExceptionInfoRequest: true,
    supportsExceptionFilterOptions: true,
    exceptionBreakpointFilters: EXCEPTION_BREAKPOINT_FILTERS,
    supportsRestartRequest: true,
    supportsTerminateRequest: true,
    supportTerminateDebuggee: true,
    supportsValueFormattingOptions: true,
    supportsSetVariable: true,
    supportsSetExpression: true,
    supportsReadMemoryRequest: true,
    supportsWriteMemoryRequest: true,
    supportsDataBreakpoints: true,
    supportsDataBreakpointBytes: true,
    supportsStepBack: true,
  };
}
