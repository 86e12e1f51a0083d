import { inspect } from 'node:util';
import {
  AbstractMessageWriter,
  type Connection,
  IPCMessageReader,
  IPCMessageWriter,
  type Message,
  type MessageWriter,
  ProposedFeatures,
  createConnection,
} from 'vscode-languageserver/node';
import { Rest, compactingCollector } from './rest';

/**
 * Writes each message and its header in one write. The library's writer writes the header, waits for
 * it to be flushed, then writes the body: two system calls per message, and the editor is woken
 * twice (about 0.1 ms each on a small machine, on every diagnostics, completion and hover).
 */
export class OneWriteMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errors = 0;

  /** `onWrite`: called with every message written. */
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly onWrite?: () => void,
  ) {
    super();
    out.on('error', (e: Error) => this.fireError(e));
    out.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    const frame = Buffer.concat([Buffer.from(`Content-Length: ${body.byteLength}\r\n\r\n`, 'ascii'), body]);
    this.onWrite?.();
    return new Promise((resolve, reject) => {
      this.out.write(frame, (error) => {
        if (!error) return resolve();
        this.fireError(error, msg, ++this.errors);
        reject(error);
      });
    });
  }

  end(): void {
    this.out.end();
  }
}

/** Memory given back once the server has sent nothing for a while (rest.ts): every message sent is work. */
function resting(): () => void {
  const rest = new Rest({ heap: () => process.memoryUsage().heapTotal, collector: compactingCollector });
  return () => rest.worked();
}

/** The library's writer over node's IPC channel, telling `onWrite` of every message. */
class IpcWriter extends IPCMessageWriter {
  constructor(private readonly onWrite: () => void) {
    super(process);
  }

  write(msg: Message): Promise<void> {
    this.onWrite();
    return super.write(msg);
  }
}

/** The connection over node's IPC channel (`--node-ipc`), which the VS Code client opens. */
export function ipcConnection(): Connection {
  return createConnection(ProposedFeatures.all, new IPCMessageReader(process), new IpcWriter(resting()));
}

/**
 * The connection over standard input and output (`--stdio`). As the library does for `--stdio`,
 * console output goes to the editor's log: a stray `console.log` must not corrupt the protocol.
 */
export function stdioConnection(): Connection {
  // The library takes an input stream with a writer of ours (it checks each on its own, and exits when
  // the input ends), though its types list only stream with stream and reader with writer.
  const create = createConnection as (
    features: typeof ProposedFeatures.all,
    input: NodeJS.ReadableStream,
    output: MessageWriter,
  ) => Connection;
  const connection = create(ProposedFeatures.all, process.stdin, new OneWriteMessageWriter(process.stdout, resting()));
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log =
    console.info =
    console.debug =
    console.trace =
      (...args: unknown[]) => connection.console.log(text(args));
  console.dir = (item: unknown) => connection.console.log(inspect(item));
  console.warn = (...args: unknown[]) => connection.console.warn(text(args));
  console.error = (...args: unknown[]) => connection.console.error(text(args));
  return connection;
}
