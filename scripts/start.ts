/**
 * `npm start`: the whole platform on this machine (scripts/lib/start-stack.ts).
 * This file only says so at once: loading the platform's modules takes
 * seconds, and on a busy machine tens of them, which must not look hung.
 */
console.log('Starting Bheem Federation: database, migrations, five subgraphs, gateway...');
await import('./lib/start-stack.js');
