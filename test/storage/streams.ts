/**
 * Stream helpers for storage tests and benchmarks: large bodies made on the
 * fly, PUT with backpressure, and peak memory while something runs.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** `total` bytes of a repeating pseudo-random pattern, produced as read (never held whole). */
export function generated(total: number, chunkSize = 1024 * 1024): { stream: Readable; sha256: () => string } {
  const pattern = randomBytes(chunkSize);
  const hash = createHash('sha256');
  let produced = 0;
  const stream = new Readable({
    read() {
      if (produced >= total) return void this.push(null);
      const chunk = pattern.subarray(0, Math.min(chunkSize, total - produced));
      produced += chunk.length;
      hash.update(chunk);
      this.push(Buffer.from(chunk));
    },
  });
  return { stream, sha256: () => hash.digest('hex') };
}

/**
 * PUTs a Node stream with node:http, with backpressure all the way. (Node 20's
 * fetch reads a streamed request body ahead without bound, which would buffer
 * a large upload on the client side and spoil any memory measurement.)
 */
export async function putStream(url: string, body: Readable, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const request = http.request(url, { method: 'PUT', headers });
  const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  await pipeline(body, request);
  const response = await answered;
  let text = '';
  for await (const chunk of response) text += chunk;
  return { status: response.statusCode ?? 0, text };
}

/** Peak RSS growth over a baseline while `work` runs, sampled every 20 ms. */
export async function peakMemoryGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthBytes: number }> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthBytes: peak - baseline };
  } finally {
    clearInterval(timer);
  }
}
