// The language server's Node entry (`anneal lsp --stdio`, `anneal-lsp`, the VS Code
// extension's dist/server.js). It only picks the transport: standard streams by default or
// with --stdio, or whatever --node-ipc / --socket=N / --pipe=NAME ask for.

import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver/node";
import { SERVER_VERSION, startServer } from "./server.js";

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(`Usage: anneal lsp [--stdio | --node-ipc | --socket=PORT | --pipe=NAME]

Starts the Anneal language server. Editors start it themselves; with no option it talks
LSP over standard input and output. See docs/editor.md for editor setup.
`);
  process.exit(0);
}
if (args.includes("--version") || args.includes("-V")) {
  process.stdout.write(`${SERVER_VERSION}\n`);
  process.exit(0);
}
const otherTransport = args.some((a) => a === "--node-ipc" || a.startsWith("--socket") || a.startsWith("--pipe"));
const connection = otherTransport
  ? createConnection(ProposedFeatures.all)
  : createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
startServer(connection);
