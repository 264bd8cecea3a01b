/**
 * The memory requests: `readMemory` of emulated RAM and MMIO (remembering the references open
 * memory views read) and `writeMemory`, after which the views refresh (view-refresh.ts).
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { MemoryReadResult } from '../runtime/protocol';
import { forward, type DapClient } from './client';
import { addressOf, type MemoryViews } from './memory';
import type { RuntimeHost } from './runtime-host';
import type { ViewRefresh, WriteRange } from './view-refresh';

/** readMemory and writeMemory, through the worker. */
export class MemoryRequests {
  constructor(
    private readonly client: DapClient,
    private readonly host: RuntimeHost,
    private readonly memoryViews: MemoryViews,
    private readonly refresh: ViewRefresh,
  ) {}

  /** Emulated RAM and MMIO, read without side effects (MMIO through the devices' peek). */
  async readMemory(
    response: DebugProtocol.ReadMemoryResponse,
    args: DebugProtocol.ReadMemoryArguments,
  ): Promise<void> {
    await forward(this.client, response, async () => {
      const address = addressOf(args.memoryReference, args.offset ?? 0);
      this.memoryViews.seen(args.memoryReference, addressOf(args.memoryReference));
      const r = (await this.host.rt().request('readMemory', {
        address,
        count: args.count,
      })) as MemoryReadResult;
      response.body = { address: `0x${r.address.toString(16)}`, data: r.data };
      if (r.unreadableBytes > 0) response.body.unreadableBytes = r.unreadableBytes;
    });
  }

  /** RAM stores, or aligned 32-bit MMIO writes with the device's side effects. */
  async writeMemory(
    response: DebugProtocol.WriteMemoryResponse,
    args: DebugProtocol.WriteMemoryArguments,
  ): Promise<void> {
    await forward(this.client, response, async () => {
      const r = (await this.host.rt().request('writeMemory', {
        address: addressOf(args.memoryReference, args.offset ?? 0),
        data: args.data,
        allowPartial: args.allowPartial,
      })) as { bytesWritten: number; changed: WriteRange };
      response.body = { bytesWritten: r.bytesWritten };
      this.refresh.written(r.changed);
    });
  }
}
