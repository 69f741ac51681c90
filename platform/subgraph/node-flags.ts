/**
 * V8 flags a subgraph process is launched with where it runs alone (production:
 * docker-compose, Kubernetes; `npm start` with START_SUBGRAPH_PROCESSES=each;
 * the benchmark), as gateway/node-flags.ts does for the gateway. Not for the
 * development start that runs the five subgraphs in one process, which is
 * held to a memory budget.
 *
 * A bigger young generation: an entity fetch allocates its rows, their
 * models, graphql-js's result tree and the answer's string (the course
 * list's 100 courses with their classes in one request), all dead once the
 * answer is written. With V8's default semi-space, requests in flight fill
 * it many times a second and their live objects are copied and promoted;
 * a bigger one lets most of them die young.
 */
export const SUBGRAPH_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
