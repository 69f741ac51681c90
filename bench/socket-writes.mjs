/**
 * What one subscriber's write costs below the gateway's own code: 10,000
 * loopback sockets, each written one 260-byte frame per round (the size of
 * the subscriptions bench's `next` frame), read and dropped by reader
 * processes (as the bench's clients do). Prints CPU time per write, user
 * and system, and involuntary context switches, for
 *   stream: `socket.write(frame)`, Node's Writable layer, as the gateway writes;
 *   bare:   the socket's handle written directly (Node internals, through the
 *           deprecated process.binding): the most that bypassing the Writable
 *           layer could save. A measuring device only; the gateway does not do this.
 *   closures, sink: `socket.write` through a per-client stream object shaped as
 *           the gateway's fan-out was (an options object of closures per client,
 *           spread into the stream) and as it is (client-stream.ts calling the
 *           methods of one object per client, websocket-sink.ts): what the shape
 *           of the per-client objects costs.
 * CPU time, not wall time, so that a loaded machine still gives a reading.
 *
 *   fd, sinkfd: `fs.writeSync` on the socket's descriptor, bare and through the sink (session 16).
 *   node --no-deprecation bench/socket-writes.mjs stream|bare|closures|sink|sinkfd|fd [rounds=20] [readers=1]
 * (needs `ulimit -n` above 2 × 10,000 + a margin)
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const SOCKETS = 10_000;
const FRAME = Buffer.alloc(260, 'x');
const SELF = fileURLToPath(import.meta.url);

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function connectAll(ports) {
  const sockets = [];
  for (let index = 0; index < SOCKETS; index += 500) {
    const batch = Array.from(
      { length: 500 },
      (_, k) =>
        new Promise((resolve) => {
          const socket = net.connect(ports[(index + k) % ports.length], '127.0.0.1', () => resolve(socket));
          socket.setNoDelay(true);
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

/** A stand-in for a ws connection: its state read through a getter, as ws's readyState is. */
class Connection {
  constructor(raw) {
    this.raw = raw;
    this.state = 1;
  }
  get readyState() {
    return this.state;
  }
}

/** One event's frames by subscription id, as event-message.ts keeps them. */
class Frames {
  frames = new Map();
  frame(id) {
    let frame = this.frames.get(id);
    if (!frame) this.frames.set(id, (frame = FRAME));
    return frame;
  }
}

/** The stream calling its client's hooks, as client-stream.ts does. */
class Stream {
  finished = false;
  constructor(hooks) {
    this.hooks = hooks;
  }
  push(event) {
    if (this.finished) return;
    if (this.hooks.isBehind()) {
      this.finished = true;
      return;
    }
    this.hooks.deliver(event);
  }
}

/** The hooks as one object per client with methods on its prototype (websocket-sink.ts). */
class Sink {
  constructor(connection, id) {
    this.connection = connection;
    this.id = id;
  }
  deliver(event) {
    if (this.connection.readyState !== 1) return;
    this.connection.raw.write(event.frame(this.id));
  }
  isBehind() {
    return this.connection.raw.writableLength > 1 << 20;
  }
  onTooSlow() {}
}

/** As Sink, but each frame written by descriptor when nothing is queued (fs.writeSync; as websocket-sink.ts tried in session 16). */
class FdSink extends Sink {
  deliver(event) {
    if (this.connection.readyState !== 1) return;
    const raw = this.connection.raw;
    const frame = event.frame(this.id);
    const handle = raw._handle;
    if (raw.writableLength === 0 && handle && fs.writeSync(handle.fd, frame) === frame.length) return;
    raw.write(frame);
  }
}

/** The hooks as closures in an object literal, spread with an onEnd into the stream's options (the fan-out before session 13). */
function closures(connection, id) {
  const raw = connection.raw;
  const hooks = {
    deliver: (event) => {
      if (connection.readyState !== 1) return;
      raw.write(event.frame(id));
    },
    isBehind: () => raw.writableLength > 1 << 20,
    onTooSlow: () => {},
  };
  return { ...hooks, onEnd: () => {} };
}

/** One round's writes: each socket once. */
function writer(mode, sockets) {
  if (mode === 'stream') {
    return () => {
      for (const socket of sockets) socket.write(FRAME);
    };
  }
  if (mode === 'closures' || mode === 'sink' || mode === 'sinkfd') {
    const streams = sockets.map((socket) => {
      const connection = new Connection(socket);
      return new Stream(mode === 'sink' ? new Sink(connection, '1') : mode === 'sinkfd' ? new FdSink(connection, '1') : closures(connection, '1'));
    });
    return () => {
      const event = new Frames();
      for (const stream of streams) stream.push(event);
    };
  }
  if (mode === 'fd') {
    return () => {
      for (const socket of sockets) {
        if (socket.writableLength === 0 && fs.writeSync(socket._handle.fd, FRAME) === FRAME.length) continue;
        throw new Error('short write');
      }
    };
  }
  const { WriteWrap } = process.binding('stream_wrap');
  return () => {
    for (const socket of sockets) {
      const request = new WriteWrap();
      request.handle = socket._handle;
      request.oncomplete = () => {};
      request.async = false;
      const error = socket._handle.writeBuffer(request, FRAME);
      if (error) throw new Error(`write failed: ${error}`);
    }
  };
}

async function measure(mode, rounds, readerCount) {
  const readers = Array.from({ length: readerCount }, () => fork(SELF, ['reader']));
  const ports = await Promise.all(readers.map((reader) => new Promise((resolve) => reader.once('message', resolve))));
  const sockets = await connectAll(ports);
  const writeAll = writer(mode, sockets);
  const round = async () => {
    writeAll();
    await pause(50);
  };
  for (let warm = 0; warm < 3; warm++) await round();
  const before = process.resourceUsage();
  for (let index = 0; index < rounds; index++) await round();
  const after = process.resourceUsage();
  const perWrite = (key) => ((after[key] - before[key]) / (rounds * SOCKETS)).toFixed(2);
  console.log(
    `${mode}, ${readerCount} reader process(es): per write ${perWrite('userCPUTime')} µs user, ${perWrite('systemCPUTime')} µs system, ` +
      `${perWrite('involuntaryContextSwitches')} involuntary context switches`,
  );
  for (const socket of sockets) socket.destroy();
  for (const reader of readers) reader.kill();
}

if (process.argv[2] === 'reader') {
  const server = net.createServer((socket) => socket.on('data', () => {}));
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
} else {
  const mode = ['bare', 'closures', 'sink', 'sinkfd', 'fd'].includes(process.argv[2]) ? process.argv[2] : 'stream';
  await measure(mode, Number(process.argv[3] ?? 20), Number(process.argv[4] ?? 1));
  process.exit(0);
}
