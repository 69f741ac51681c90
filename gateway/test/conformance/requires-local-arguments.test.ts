import { runSuite } from './support/run-suite.js';
import { requiresLocalArgumentsSuite } from './suites/requires-local-arguments.js';

runSuite(requiresLocalArgumentsSuite);
