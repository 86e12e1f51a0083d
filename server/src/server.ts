import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';
import { stdioConnection } from './lsp/stdio';

// Transport (--stdio, --node-ipc, --socket=N) comes from the command line.
startServer(process.argv.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all));
