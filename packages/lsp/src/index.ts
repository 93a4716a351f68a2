// The Anneal language server as a library: `startServer(connection)` on any LSP connection,
// and the names and shapes of the protocol's Anneal-specific parts for clients.
export { startServer, type ServerOptions, SERVER_NAME, SERVER_VERSION } from "./server.js";
export * from "./protocol.js";
export { LEGEND as SEMANTIC_TOKENS_LEGEND } from "./semantic-tokens.js";
