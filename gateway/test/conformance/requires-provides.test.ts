import { runSuite } from './support/run-suite.js';
import { requiresProvidesSuite } from './suites/requires-provides.js';

runSuite(requiresProvidesSuite);
