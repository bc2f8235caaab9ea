import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * The transport the SDK server runs on once the start-up front hands over: messages are delivered by
 * the front (which owns stdin), answers are written through `write`. Answers to requests the front
 * already answered itself (the replayed `initialize`) are swallowed once.
 */
export class HandoverTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly swallow = new Set<string | number>();

  constructor(private readonly write: (message: JSONRPCMessage) => void) {}

  /** Nothing to start: the front already reads stdin. */
  async start(): Promise<void> {}

  /** Write one message, unless it answers a request whose answer was already sent. */
  async send(message: JSONRPCMessage): Promise<void> {
    if ('id' in message && !('method' in message) && message.id !== undefined && this.swallow.delete(message.id)) return;
    this.write(message);
  }

  async close(): Promise<void> {
    this.onclose?.();
  }

  /** Hand one message to the server. */
  deliver(message: JSONRPCMessage): void {
    this.onmessage?.(message);
  }

  /** Replay a request already answered by the front (so the server learns, e.g., the client's capabilities). */
  replay(request: JSONRPCMessage & { id: string | number }): void {
    this.swallow.add(request.id);
    this.deliver(request);
  }
}
