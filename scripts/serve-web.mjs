// A tiny static server for the built playground, on localhost only; prints the URL.
// Usage: node scripts/serve-web.mjs [--dir web/dist] [--port 8080]   (--port 0: any free port)
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.pcap': 'application/vnd.tcpdump.pcap',
};

/** Serves `dir` on 127.0.0.1:`port`; resolves to the server and its URL. */
export function serveWeb(dir, port = 8080) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address();
      resolvePromise({ server, url: `http://127.0.0.1:${p}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, port: { type: 'string' } } });
  const dir = values.dir ?? fileURLToPath(new URL('../web/dist', import.meta.url));
  const port = values.port ?? process.env.PORT;
  let served;
  try {
    served = await serveWeb(dir, Number(port ?? 8080));
  } catch (err) {
    // Only the default port falls back to a free one; a port asked for is an error.
    if (err.code !== 'EADDRINUSE' || port !== undefined) throw err;
    served = await serveWeb(dir, 0);
  }
  const { url } = served;
  console.log(`cbpf playground: ${url}  (Ctrl-C stops)`);
}
