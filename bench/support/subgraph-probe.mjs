/**
 * Loaded (`node --import`) into each subgraph process that bench/subscriptions.ts
 * starts as production starts one (`node <SUBGRAPH_NODE_FLAGS>
 * dist/scripts/start-subgraph.js <name>`, NODE_ENV=production): the process
 * is the subgraph's own, this only answers the bench over the IPC channel.
 * Its CPU (user and system) and GC pauses so far ('cpu'), a full GC
 * ('settle'), a V8 CPU profile ('profile') and a sampling heap profile that
 * keeps the objects GC collected ('heap': what was allocated, not what
 * survived) of the measured events. Plain JavaScript: no TypeScript loader
 * in a compiled subgraph's process.
 */
import { writeFileSync } from 'node:fs';
import inspector from 'node:inspector/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { countGcPauses } from './gc-pauses.mjs';

const gcPauses = countGcPauses();

/** A full GC without starting node with --expose-gc (bench/support/full-gc.ts). */
function fullGc() {
  setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
}

/** Bytes of a sampling heap profile's samples: its estimate of what was allocated while it ran. */
function sampledBytes(node) {
  let bytes = node.selfSize;
  for (const child of node.children) bytes += sampledBytes(child);
  return bytes;
}

const session = new inspector.Session();
let connected = false;
const connect = () => {
  if (!connected) session.connect();
  connected = true;
};

process.on('message', async (message) => {
  if (message?.probe !== true) return;
  if (message.type === 'cpu') {
    const { userCPUTime, systemCPUTime } = process.resourceUsage();
    process.send({ probe: true, type: 'cpu', userMs: userCPUTime / 1000, systemMs: systemCPUTime / 1000, gc: { ...gcPauses } });
  } else if (message.type === 'settle') {
    for (let index = 0; index < 2; index++) fullGc();
    process.send({ probe: true, type: 'settled' });
  } else if (message.type === 'profile') {
    connect();
    if (message.action === 'start') {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    } else {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(message.file, JSON.stringify(profile));
    }
    process.send({ probe: true, type: 'profiled' });
  } else if (message.type === 'heap') {
    connect();
    let bytes = 0;
    if (message.action === 'start') {
      await session.post('HeapProfiler.enable');
      // One sample per 4 KiB allocated on average; objects later collected by either GC are kept in the profile.
      await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    } else {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      bytes = sampledBytes(profile.head);
      writeFileSync(message.file, JSON.stringify(profile));
    }
    process.send({ probe: true, type: 'heaped', bytes });
  }
});
// The IPC channel must not keep a stopping subgraph alive.
process.channel?.unref();
