/** Every subgraph module by name, loaded on demand so a process loads only what it serves. */
import type { SubgraphName } from '../platform/config.js';
import type { SubgraphModule } from '../platform/subgraph/subgraph-module.js';

type AnyModule = SubgraphModule<any>;

export const SUBGRAPH_MODULES: Partial<Record<SubgraphName, () => Promise<AnyModule>>> = {
  academy: async () => (await import('./academy/subgraph.js')).academySubgraph,
  erp: async () => (await import('./erp/subgraph.js')).erpSubgraph,
  meet: async () => (await import('./meet/subgraph.js')).meetSubgraph,
  calendar: async () => (await import('./calendar/subgraph.js')).calendarSubgraph,
  documents: async () => (await import('./documents/subgraph.js')).documentsSubgraph,
};
