import {
  closeSync,
  fsyncSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';

/**
 * Writes a fixed config: through a symbolic link to its target (the link stays a link), with the
 * byte order mark the file had (the checker reads text without it), atomically: a temporary file
 * beside the target with its mode, then a rename.
 */
export function writeFixed(file: string, text: string): void {
  const target = realpathSync(file);
  const out = hasBom(target) && !text.startsWith('\ufeff') ? `\ufeff${text}` : text;
  const tmp = `${target}.truss-config-${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w', statSync(target).mode);
    try {
      writeSync(fd, out);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function hasBom(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(3);
    return readSync(fd, head, 0, 3, 0) === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  } finally {
    closeSync(fd);
  }
}
