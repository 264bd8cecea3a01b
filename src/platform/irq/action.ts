/**
 * struct irqaction (include/linux/interrupt.h): one handler registered with request_irq.
 * `handler` and `thread_fn` are functions of the driver model: handler(irq, dev_id) returns
 * IRQ_NONE, IRQ_HANDLED or IRQ_WAKE_THREAD.
 */
export type IrqHandler = (irq: number, dev_id: unknown) => unknown;

export interface IrqAction {
  handler: IrqHandler;
  thread_fn: IrqHandler | null;
  flags: number;
  name: string;
  dev_id: unknown;
  irq: number;
  next: IrqAction | null;
  /** Times the thread function ran. */
  thread_runs: number;
}
