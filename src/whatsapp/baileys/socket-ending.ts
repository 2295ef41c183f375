import type { ProviderSocket } from './socket-factory';

/**
 * Ends a socket and waits for it, at most `waitMs`: Baileys' `end()` awaits the WebSocket close handshake,
 * which a server that stopped answering would hold for the ws library's 30 s close timeout. Ending is
 * never reported as a failure; the socket is gone for us either way.
 */
export async function endSocketWithin(socket: ProviderSocket, waitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve()
        .then(() => socket.end(undefined))
        .catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
