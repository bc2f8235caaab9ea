import type { IncomingMessage } from 'node:http';

/** Bounds for {@link readChunkedBody}. */
export interface ChunkedBodyBounds {
  /** Largest body accepted, bytes. */
  maxBytes: number;
  /** How many bytes past `maxBytes` are read and dropped so the 413 can be delivered; past that the connection is given up. */
  drainBytes: number;
  /** How long, ms, an oversized body is drained before the connection is given up. */
  drainMs: number;
}

/** What reading a chunked request body came to. */
export type ChunkedBody =
  | { kind: 'body'; body: Uint8Array<ArrayBuffer> }
  /** `drained`: the whole body was read (and dropped), so the connection can carry the next request. */
  | { kind: 'too_large'; drained: boolean }
  | { kind: 'cut_off' };

/**
 * Read a request body sent without a declared length (`Transfer-Encoding: chunked`), counting as it
 * comes. A body over `maxBytes` is not kept, but it is still read and dropped, up to `drainBytes` more
 * or `drainMs`: a server that stops reading and closes a socket with unread bytes in it makes the
 * kernel reset the connection, and the client then loses the 413 that explains why (it sees a reset
 * instead). Once drained, the request ended at a message boundary and the connection stays usable;
 * a client that keeps sending past the bounds gets the 413 on a connection that closes, and may lose
 * it. A declared length needs none of this: Node's parser itself reads and drops what the handler
 * leaves.
 */
export function readChunkedBody(incoming: IncomingMessage, bounds: ChunkedBodyBounds): Promise<ChunkedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: ChunkedBody): void => {
      if (timer) clearTimeout(timer);
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onCutOff);
      incoming.off('close', onClose);
      if (result.kind === 'too_large' && !result.drained) incoming.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (!over && size > bounds.maxBytes) {
        over = true;
        chunks.length = 0;
        timer = setTimeout(() => finish({ kind: 'too_large', drained: false }), bounds.drainMs);
      }
      if (!over) chunks.push(chunk);
      else if (size > bounds.maxBytes + bounds.drainBytes) finish({ kind: 'too_large', drained: false });
    };
    const onEnd = (): void => {
      if (over) return finish({ kind: 'too_large', drained: true });
      const body = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) { body.set(c, at); at += c.length; }
      finish({ kind: 'body', body });
    };
    const onCutOff = (): void => finish({ kind: 'cut_off' });
    const onClose = (): void => { if (!incoming.complete) onCutOff(); };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onCutOff);
    incoming.on('close', onClose);
  });
}
