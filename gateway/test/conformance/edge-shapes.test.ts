import { runSuite } from './support/run-suite.js';
import { edgeShapesSuite } from './suites/edge-shapes.js';

runSuite(edgeShapesSuite);
