// Serves the built playground (dist/) on this machine only, for `npm run playground` and the
// end-to-end tests. Any static host serves dist/ as well; this one exists so trying the
// playground needs nothing but Node. It answers GET and HEAD for files inside dist/ and
// nothing else, with the page's Content-Security-Policy as a header too.
//
//   node serve.mjs [--port N]    (default 5178; 0 picks a free port)

import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CONTENT_SECURITY_POLICY } from "./build.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = join(here, "dist");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** Starts serving `dir` on 127.0.0.1:`port`; resolves to its URL and a way to stop it. */
export function serve({ dir = DIST, port = 5178 } = {}) {
  if (!existsSync(join(dir, "index.html"))) {
    return Promise.reject(new Error(`${join(dir, "index.html")} does not exist: run \`npm run build\` first`));
  }
  const server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": body.length,
      "content-security-policy": `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
      "x-content-type-options": "nosniff",
      "cache-control": "no-cache",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: actual } = server.address();
      resolve({ url: `http://127.0.0.1:${actual}/`, close: () => new Promise((r) => server.close(() => r(undefined))) });
    });
  });
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isMain) {
  const at = process.argv.indexOf("--port");
  const port = at >= 0 ? Number(process.argv[at + 1]) : Number(process.env.PORT ?? 5178);
  try {
    const { url } = await serve({ port });
    process.stdout.write(`The Anneal playground is at ${url} (Ctrl-C stops it)\n`);
  } catch (e) {
    process.stderr.write(`playground: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
