import { runSuite } from './support/run-suite.js';
import { operationsSuite } from './suites/operations.js';

runSuite(operationsSuite);
