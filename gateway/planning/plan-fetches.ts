/**
 * A query plan copied node by node so that corrections can change it
 * without touching the planner's own objects, with every fetch listed in
 * the order the plan runs them (a sequence's earlier steps first, a defer's
 * primary before its deferred parts) and the response path it answers at.
 */
import type { FetchNode, PlanNode } from '@apollo/query-planner';
import { FetchOperation } from './fetch-operation.js';

export interface FetchSite {
  /** The plan's fetch, a copy of the planner's: corrections change it in place. */
  fetch: FetchNode;
  /** Where its objects are in the response: the Flatten paths above it ('@' for lists). */
  path: readonly (string | number)[];
  /** Puts another node in the fetch's place in the plan. */
  replace: (node: PlanNode) => void;
  /** Set once another node took its place. */
  replaced?: boolean;
  /** Its operation as an AST, parsed on first use. */
  parsed?: FetchOperation;
}

export function operationOf(site: FetchSite): FetchOperation {
  site.parsed ??= new FetchOperation(site.fetch.operation, site.fetch.requires !== undefined);
  return site.parsed;
}

/** A copy of `node`, the fetches of which are pushed on `sites`. */
export function copyPlan(node: PlanNode, sites: FetchSite[], path: readonly (string | number)[] = [], replace: (node: PlanNode) => void = () => {}): PlanNode {
  switch (node.kind) {
    case 'Fetch': {
      const fetch = { ...node };
      sites.push({ fetch, path, replace });
      return fetch;
    }
    case 'Sequence':
    case 'Parallel': {
      const copy = { ...node, nodes: [] as PlanNode[] };
      node.nodes.forEach((child, index) => {
        copy.nodes.push(copyPlan(child, sites, path, (next) => void (copy.nodes[index] = next)));
      });
      return copy;
    }
    case 'Flatten': {
      const copy = { ...node };
      copy.node = copyPlan(node.node, sites, [...path, ...node.path], (next) => void (copy.node = next));
      return copy;
    }
    case 'Condition': {
      const copy = { ...node };
      if (node.ifClause) copy.ifClause = copyPlan(node.ifClause, sites, path, (next) => void (copy.ifClause = next));
      if (node.elseClause) copy.elseClause = copyPlan(node.elseClause, sites, path, (next) => void (copy.elseClause = next));
      return copy;
    }
    case 'Defer': {
      const primary = { ...node.primary };
      if (node.primary.node) primary.node = copyPlan(node.primary.node, sites, path, (next) => void (primary.node = next));
      const deferred = node.deferred.map((part) => {
        const copy = { ...part };
        if (part.node) copy.node = copyPlan(part.node, sites, path, (next) => void (copy.node = next));
        return copy;
      });
      return { ...node, primary, deferred };
    }
  }
}

/** Writes the operations the corrections added to back into their fetches. */
export function printChanged(sites: readonly FetchSite[]): void {
  for (const site of sites) {
    if (!site.parsed?.changed) continue;
    site.fetch.operation = site.parsed.print();
    site.fetch.operationDocumentNode = undefined;
  }
}
