// The language server's browser entry: run this bundle in a web worker and talk LSP to it
// with postMessage (`vscode-languageclient/browser` on the page side). The server is the
// same; only the transport differs from server-node.ts, and the same lifecycle gate orders
// `initialize`, `shutdown` and `exit`.

import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from "vscode-languageserver/browser";
import { LifecycleGate } from "./lifecycle.js";
import { startServer } from "./server.js";

type WorkerPort = ConstructorParameters<typeof BrowserMessageReader>[0];
const port = self as unknown as WorkerPort;
const writer = new BrowserMessageWriter(port);
startServer(createConnection(ProposedFeatures.all, new LifecycleGate(new BrowserMessageReader(port), writer), writer));
