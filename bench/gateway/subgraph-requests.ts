/**
 * How many requests each subgraph served, read from its own /metrics
 * (bheem_http_requests_total on /graphql, every status) before and after a
 * run: per operation, it says how many subgraph requests a gateway's plan,
 * batching and merging of identical requests cost, beside the CPU figures.
 */
export type RequestReading = Record<string, number>;

const GRAPHQL_REQUESTS = /^bheem_http_requests_total\{([^}]*)\} (\d+(?:\.\d+)?(?:e\+?\d+)?)$/gm;

/** GraphQL requests served so far by the subgraph whose /metrics text this is. */
export function graphqlRequestsIn(metrics: string): number {
  let total = 0;
  for (const [, labels, value] of metrics.matchAll(GRAPHQL_REQUESTS)) if (labels!.includes('route="/graphql"')) total += Number(value);
  return total;
}

/** Reads every subgraph's count (by name, from its GraphQL URL's origin). */
export async function readSubgraphRequests(urls: Record<string, string>): Promise<RequestReading> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      const response = await fetch(new URL('/metrics', url), { signal: AbortSignal.timeout(5000) });
      return [name, graphqlRequestsIn(await response.text())] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Subgraph requests per operation between two readings. */
export function requestsPerOperation(before: RequestReading, after: RequestReading, operations: number): RequestReading {
  const perOperation: RequestReading = {};
  for (const [name, end] of Object.entries(after)) perOperation[name] = Math.round(((end - (before[name] ?? 0)) / Math.max(1, operations)) * 1000) / 1000;
  return perOperation;
}
