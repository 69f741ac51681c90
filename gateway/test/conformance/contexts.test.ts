import { runSuite } from './support/run-suite.js';
import { contextsSuite } from './suites/contexts.js';

runSuite(contextsSuite);
