/** Every conformance suite, for tests that look at all of them at once (plan-shapes.test.ts). */
import { abstractTypesSuite } from './abstract-types.js';
import { contextsSuite } from './contexts.js';
import { edgeShapesSuite } from './edge-shapes.js';
import { keysSuite } from './keys.js';
import { mergedFetchesSuite } from './merged-fetches.js';
import { operationsSuite } from './operations.js';
import { ownershipSuite } from './ownership.js';
import { plannerCorrectionsSuite } from './planner-corrections.js';
import { requiresClientArgumentsSuite } from './requires-client-arguments.js';
import { requiresLocalArgumentsSuite } from './requires-local-arguments.js';
import { requiresProvidesSuite } from './requires-provides.js';

export const ALL_SUITES = [
  keysSuite,
  abstractTypesSuite,
  requiresProvidesSuite,
  requiresLocalArgumentsSuite,
  requiresClientArgumentsSuite,
  ownershipSuite,
  operationsSuite,
  plannerCorrectionsSuite,
  mergedFetchesSuite,
  contextsSuite,
  edgeShapesSuite,
];
