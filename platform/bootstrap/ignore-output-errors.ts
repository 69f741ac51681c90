/**
 * After a hang-up the terminal is gone: a write to it fails (EIO, EPIPE) and, unheard, that error would end the
 * process before it has stopped what it runs. From then on what this process prints is dropped.
 */
export function ignoreOutputErrors(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
}
