import { closeSync, fsyncSync, openSync, renameSync, statSync, writeSync } from 'node:fs';

/** Replaces a file's content atomically: a temporary file beside it, then a rename. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.truss-config-${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', statSync(file).mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
