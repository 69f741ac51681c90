/**
 * V8 flags the gateway process is launched with, in production and in the
 * benchmark alike: scripts/lib/start-stack.ts and bench/gateway/gateways.ts import
 * them; the Dockerfile's CMD (which docker-compose runs) and package.json's
 * start:gateway spell them out, checked by gateway/test/node-flags.test.ts.
 * Heap sizes only take effect at launch, so they cannot be set from main.ts.
 *
 * A bigger young generation: every request allocates its subgraph answers,
 * the merged data and the shaped answer (about 1 MB for the 100-course list),
 * all dead once the answer is written. With V8's default semi-space (16 MB on
 * 64-bit) fifty requests in flight fill it many times a second and survivors
 * of in-flight requests get copied and promoted; 64 MB lets most of them die
 * young (measured on the benchmark's course list: less gateway CPU per request).
 *
 * No allocation-site pretenuring: V8 allocates straight into the old
 * generation from the sites whose objects it saw survive scavenges. Under
 * the course list a process could settle so (one run in two): 27-30 % of
 * what the gateway allocated was then promoted, with a mark-compact every
 * few hundred requests, against 0.5-0.8 % and none without pretenuring
 * (the reading: request objects born old die at once but keep what is young
 * and theirs alive through every scavenge until the next mark-compact).
 * Gateway CPU a course list 1.37-2.25 ms in that state, 1.17-1.27 with the
 * flag; the lookup and the join measured the same within the noise
 * (bench/README-results.md, session 20). The sites V8 pretenured were the
 * per-fetch answer (`{ statusCode, text, ascii }`) and its chunk list, now a
 * class and an array emptied in place: with pretenuring on, the course list
 * promotes ~1 % (session 21). The flag stays for the sites outside our code
 * (undici's request headers, for https: subgraphs) and the ~0.5 % it still saves.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--no-allocation-site-pretenuring'];
