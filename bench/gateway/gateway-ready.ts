/**
 * A gateway under test is ready when it answers a real operation with data
 * (its supergraph loaded, the subgraphs reached), not merely when it listens.
 */
import { OPERATIONS, planRequest, type LoadFixture } from './operations.js';
import { waitUntil, type Service } from './services.js';

export function waitUntilAnswering(service: Service, url: string, fixture: LoadFixture): Promise<void> {
  const probe = planRequest('lookup', fixture);
  return waitUntil(service, async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${probe.token}` },
      body: JSON.stringify({ query: OPERATIONS.lookup.query, variables: probe.variables }),
      signal: AbortSignal.timeout(5000),
    });
    return response.status < 500 && (await response.text()).includes('"data"');
  });
}
