/**
 * Keep-alive for a graphql-ws client: a WebSocket ping every `intervalMs`;
 * a socket whose pong has not come `timeoutMs` after its ping is terminated
 * (no close handshake: its peer is gone, or a proxy stopped forwarding), and
 * its subscriptions end upstream as on any close. A dead peer is thus noticed
 * within intervalMs + timeoutMs. Browsers and graphql-ws clients answer pings
 * on their own (RFC 6455 requires it).
 */
import type { WebSocket } from 'ws';

export interface SocketLivenessOptions {
  /** How often each client is pinged (GATEWAY_WS_PING_INTERVAL_MS). */
  intervalMs: number;
  /** How long a ping may go unanswered (GATEWAY_WS_PONG_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Starts pinging the socket; stops on its own when the socket closes. */
export function keepSocketAlive(socket: WebSocket, { intervalMs, timeoutMs }: SocketLivenessOptions): void {
  if (!(intervalMs > 0)) return;
  let deadline: NodeJS.Timeout | undefined;
  const answered = () => {
    clearTimeout(deadline);
    deadline = undefined;
  };
  const ping = setInterval(() => {
    if (socket.readyState !== socket.OPEN || deadline) return; // still waiting on the last one: its deadline decides
    deadline = setTimeout(() => socket.terminate(), timeoutMs);
    socket.ping();
  }, intervalMs);
  socket.on('pong', answered);
  socket.once('close', () => {
    clearInterval(ping);
    answered();
  });
}
