// The language server's Node entry (`anneal lsp --stdio`, `anneal-lsp`, the VS Code
// extension's dist/server.js). It only picks the transport: standard streams by default or
// with --stdio, or whatever --node-ipc / --socket=N / --pipe=NAME ask for. Over stdio the
// framing is the server's own (framing.ts: bad headers are logged and skipped, long answers
// are written in parts) and the lifecycle gate (lifecycle.ts) keeps `initialize`,
// `shutdown` and `exit` as the protocol orders them; the exit code is 0 only after `shutdown`.

import { type Connection, createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { FramedReader, FramedWriter } from "./framing.js";
import { LifecycleGate } from "./lifecycle.js";
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
let connection: Connection | undefined;
if (otherTransport) connection = createConnection(ProposedFeatures.all);
else {
  // A framing error goes to standard error at once (the client may not be listening yet)
  // and to the client's log once the connection exists.
  const report = (message: string) => {
    process.stderr.write(`anneal lsp: ${message}\n`);
    connection?.console.error(message);
  };
  const writer = new FramedWriter(process.stdout);
  const gate = new LifecycleGate(new FramedReader(process.stdin, report), writer);
  // The client closing standard input ends the server, as `exit` does.
  gate.onClose(() => process.exit(gate.state === "shutdown" ? 0 : 1));
  connection = createConnection(ProposedFeatures.all, gate, writer);
}
startServer(connection);
