/**
 * V8 flags a subgraph process is launched with when it runs on its own (the
 * image, docker-compose, deploy/k8s, START_SUBGRAPH_PROCESSES=each and the
 * benchmark alike); gateway/test/node-flags.test.ts checks the files that
 * spell them out. Heap sizes only take effect at launch.
 *
 * A bigger young generation, as the gateway's (gateway/node-flags.ts): an
 * entity fetch allocates its rows, loaders and answer (about 1 MB for meet's
 * part of the 100-course list), all dead once the answer is written. With
 * V8's default semi-space the requests in flight fill it many times a second
 * and their survivors are copied; 64 MB lets most die young (measured with
 * bench/subgraph-direct.ts: README.md, Performance).
 */
export const SUBGRAPH_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
