import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { version } from '../../package.json';
import { startServer } from './lsp/server';
import { ipcConnection, stdioConnection } from './lsp/transport';

const USAGE = `Usage: truss-config-language-server --stdio
       truss-config-language-server --node-ipc | --socket=PORT | --pipe=NAME

The Truss config language server (LSP), for editors other than VS Code: the editor starts it and
talks to it over the transport given. See docs/editors.md.

  --stdio          standard input and output (what most editors use)
  --cache-dir=DIR  where the server keeps its compiled code between runs (default: your cache
                   folder, or TRUSS_CONFIG_CACHE_DIR; empty: none)
  --help           print this help
  --version        print the version
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
} else if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`truss-config-language-server ${version}\n`);
} else if (args.includes('--stdio')) {
  startServer(stdioConnection());
} else if (args.includes('--node-ipc')) {
  startServer(ipcConnection());
} else if (args.some((a) => /^--(socket|pipe)(=.+)?$/.test(a))) {
  startServer(createConnection(ProposedFeatures.all));
} else {
  process.stderr.write(
    `truss-config-language-server: no transport given (--stdio, --node-ipc, --socket or --pipe)\n\n${USAGE}`,
  );
  process.exitCode = 2;
}
