// The language server's browser entry: run this bundle in a web worker and talk LSP to it
// with postMessage (`vscode-languageclient/browser` on the page side). The server is the
// same; only the transport differs from server-node.ts.

import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from "vscode-languageserver/browser";
import { startServer } from "./server.js";

type WorkerPort = ConstructorParameters<typeof BrowserMessageReader>[0];
const port = self as unknown as WorkerPort;
startServer(createConnection(ProposedFeatures.all, new BrowserMessageReader(port), new BrowserMessageWriter(port)));
