/**
 * Where an event's time goes in the gateway, for whoever listens (the
 * subscriptions bench does): for each event of each shared subscription,
 * when the subgraph's event arrived, when its completion across subgraphs
 * was done and when the last client's frame was written. Published on a
 * node:diagnostics_channel; while no one subscribes, nothing is measured.
 *
 * Times are milliseconds since the epoch with sub-millisecond precision
 * (performance.timeOrigin + performance.now()), comparable with other
 * processes' clocks on the same host. The loop's idle time (ms since the
 * process started, node:perf_hooks' event loop utilization) is read at the
 * receipt and after the last write: between one subscription's receipt and
 * another's last write, the difference is how long the loop waited for I/O
 * with nothing to run (for subgraph answers, say) while the event was out.
 */
import diagnostics from 'node:diagnostics_channel';
import { performance as loop } from 'node:perf_hooks';

export const FAN_OUT_TIMINGS_CHANNEL = 'bheem:gateway:subscription-fan-out';

export interface FanOutTimings {
  receivedAt: number;
  completedAt: number;
  /** After the last client's write (the frames are in the sockets' kernel buffers, or queued behind them). */
  writtenAt: number;
  /** Clients the event was written to. */
  clients: number;
  /** The event loop's idle time so far, ms, at the receipt and after the last write. */
  idleAtReceipt: number;
  idleAtWritten: number;
}

export const fanOutTimings = diagnostics.channel(FAN_OUT_TIMINGS_CHANNEL);

export const wallClockMs = () => performance.timeOrigin + performance.now();

export const loopIdleMs = () => loop.eventLoopUtilization().idle;
