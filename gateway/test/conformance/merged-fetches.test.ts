import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config.js';
import { createLogger } from '../../../platform/logger.js';
import { startGateway, type RunningGateway } from '../../start-gateway.js';
import { postTo } from '../support/gateway-platform.js';
import { composeSupergraph } from './support/compose.js';
import { runSuite } from './support/run-suite.js';
import { startSubgraphServer, type SubgraphServer } from './support/subgraph-server.js';
import { mergedFetchesSuite } from './suites/merged-fetches.js';

runSuite(mergedFetchesSuite);

describe('merged entity fetches: requests at the subgraph', () => {
  let servers: SubgraphServer[] = [];
  let people: SubgraphServer;
  let schedule: SubgraphServer;
  let gateway: RunningGateway;
  let apollo: ApolloServer;

  beforeAll(async () => {
    servers = await Promise.all(mergedFetchesSuite.subgraphs.map((definition) => startSubgraphServer(definition)));
    people = servers.find((server) => server.name === 'people')!;
    schedule = servers.find((server) => server.name === 'schedule')!;
    const supergraphSdl = composeSupergraph(servers);
    const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory' });
    gateway = await startGateway({ config, log: createLogger('merged-fetches'), supergraphSdl });
    apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
    await apollo.start();
  });
  afterAll(async () => {
    await apollo?.stop();
    await gateway?.stop();
    await Promise.all(servers.map((server) => server.stop()));
  });

  const [sameLookup, overCourses, differentLookups, differentTypes] = mergedFetchesSuite.operations;

  it("sends the users of both branches in one request, where Apollo's executor sends two", async () => {
    people.received.length = 0;
    await postTo(gateway.url.replace('localhost', '127.0.0.1'), { query: sameLookup!.query });
    expect(people.received).toHaveLength(1);
    // Each branch's representations after the other's, in the plan's order (the hosts', then the uploaders').
    expect((people.received[0]!.variables!.representations as { id: string }[]).map((user) => user.id)).toEqual(['u2', 'u1', 'u9', 'u1', 'broken']);

    people.received.length = 0;
    await apollo.executeOperation({ query: sameLookup!.query });
    expect(people.received).toHaveLength(2);
  });

  it('sends a user that several classes or documents name once per part, where Apollo sends it for each', async () => {
    people.received.length = 0;
    await postTo(gateway.url.replace('localhost', '127.0.0.1'), { query: overCourses!.query });
    expect(people.received).toHaveLength(1);
    // Three courses' hosts (u2, u1, u9 each) and uploaders (u1 and the failing one each): the suite's answer holds every one.
    expect((people.received[0]!.variables!.representations as { id: string }[]).map((user) => user.id)).toEqual(['u2', 'u1', 'u9', 'u1', 'broken']);

    people.received.length = 0;
    await apollo.executeOperation({ query: overCourses!.query });
    expect(people.received.flatMap((request) => request.variables!.representations as unknown[])).toHaveLength(13);
  });

  it("asks one subgraph about a course and its lessons in one operation, where Apollo's executor sends two", async () => {
    schedule.received.length = 0;
    await postTo(gateway.url.replace('localhost', '127.0.0.1'), { query: differentTypes!.query, variables: differentTypes!.variables });
    expect(schedule.received).toHaveLength(1);
    const [request] = schedule.received;
    // The course's representation and the lessons' (each branch's in the plan's order), each type's fragment once.
    expect((request!.variables!.representations as { __typename: string; id: string }[]).map((entity) => `${entity.__typename}:${entity.id}`).sort()).toEqual([
      'Course:c1',
      'Lesson:c1-l1',
      'Lesson:c1-l2',
      'Lesson:l-broken',
    ]);
    expect(request!.variables!.first).toBe(1);
    expect(request!.query).toContain('...on Course{events(first:$first)}');
    expect(request!.query).toContain('...on Lesson{room}');

    schedule.received.length = 0;
    await apollo.executeOperation({ query: differentTypes!.query, variables: differentTypes!.variables });
    expect(schedule.received).toHaveLength(2);
  });

  it('keeps lookups of different selections apart', async () => {
    people.received.length = 0;
    await postTo(gateway.url.replace('localhost', '127.0.0.1'), { query: differentLookups!.query });
    expect(people.received).toHaveLength(2);
  });
});
