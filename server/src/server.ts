import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';

// Transport (--stdio, --node-ipc, --socket=N) comes from the command line.
startServer(createConnection(ProposedFeatures.all));
