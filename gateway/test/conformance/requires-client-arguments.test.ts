import { runSuite } from './support/run-suite.js';
import { requiresClientArgumentsSuite } from './suites/requires-client-arguments.js';

runSuite(requiresClientArgumentsSuite);
