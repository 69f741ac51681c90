import { runSuite } from './support/run-suite.js';
import { ownershipSuite } from './suites/ownership.js';

runSuite(ownershipSuite);
