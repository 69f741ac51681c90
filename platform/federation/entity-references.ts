/**
 * Whether records another service owns exist for the caller, asked of that
 * service through its `_entities` contract as the caller (so its tenant and
 * role checks decide: another company's record is as absent as a missing
 * one). Per request and batched: every reference asked for in one tick, of
 * any type, is one call.
 */
import DataLoader from 'dataloader';
import type { Viewer } from '../auth/viewer.js';
import type { PlatformConfig, SubgraphName } from '../config.js';
import { callSubgraph } from './subgraph-call.js';

const EXISTS_QUERY = `query ReferencesExist($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }`;

export class EntityReferences {
  private readonly found: DataLoader<string, boolean>;

  constructor(config: PlatformConfig, viewer: Viewer, owner: SubgraphName) {
    this.found = new DataLoader(async (keys) => {
      const representations = keys.map((key) => {
        const [typename, id] = JSON.parse(key) as [string, string];
        return { __typename: typename, id };
      });
      const { _entities } = await callSubgraph<{ _entities: (unknown | null)[] }>(config, owner, viewer, EXISTS_QUERY, { representations });
      return keys.map((_, index) => _entities[index] != null);
    });
  }

  /** True when the owner resolves `typename` `id` for the caller. */
  exists(typename: string, id: string): Promise<boolean> {
    return this.found.load(JSON.stringify([typename, id]));
  }
}
