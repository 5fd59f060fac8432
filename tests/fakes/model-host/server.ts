/**
 * A fake model host on 127.0.0.1 for MODELS_BASE_URL: files under `/<mode>/<path relative to MODELS_DIR>`.
 * A file with `linkedSha256` answers like Hugging Face's resolve endpoint for LFS files: a 302 carrying
 * `X-Linked-Etag: "<sha256>"` to `/cdn/<mode>/<path>`, which serves the bytes. Modes:
 *   serve    the file, in 16 KiB chunks a few ms apart (so progress can be watched)
 *   corrupt  the same length with flipped bytes (a sha256 mismatch)
 *   stall    the headers and half the body, then nothing (the connection stays open)
 *   hold     half the body, then waits for `release()` before sending the rest
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export interface ModelHostFile {
  body: Buffer;
  /** Served through a redirect carrying this as X-Linked-Etag (what Hugging Face does for LFS files). */
  linkedSha256?: string;
}

export interface ModelHost {
  url: string;
  port: number;
  /** Request paths in arrival order. */
  hits: string[];
  /** Lets every `hold` response finish. */
  release(): void;
  stop(): Promise<void>;
}

const CHUNK = 16 * 1024;

export async function startModelHost(files: Record<string, ModelHostFile>, opts: { port?: number; chunkDelayMs?: number } = {}): Promise<ModelHost> {
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  let released = false;
  const waiting: (() => void)[] = [];
  const delay = opts.chunkDelayMs ?? 5;

  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '/';
    hits.push(url);
    const m = url.match(/^\/(cdn\/)?(serve|corrupt|stall|hold)\/(.+)$/);
    const file = m ? files[decodeURIComponent(m[3])] : undefined;
    if (!m || !file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const [, cdn, mode, rel] = m;
    if (!cdn && file.linkedSha256) {
      res.writeHead(302, { location: `/cdn/${mode}/${rel}`, 'x-linked-etag': `"${file.linkedSha256}"`, 'x-linked-size': String(file.body.length) }).end();
      return;
    }
    let body = file.body;
    if (mode === 'corrupt') body = Buffer.from(body.map((b) => b ^ 0xff));
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    const half = Math.floor(body.length / 2);
    for (let at = 0; at < body.length; at += CHUNK) {
      if (at >= half && mode === 'stall') return; // headers and half the body sent; never more
      if (at >= half && mode === 'hold' && !released) await new Promise<void>((r) => waiting.push(r));
      if (res.destroyed) return;
      res.write(body.subarray(at, Math.min(at + CHUNK, body.length)));
      if (delay) await new Promise((r) => setTimeout(r, delay));
    }
    res.end();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    release() {
      released = true;
      for (const w of waiting.splice(0)) w();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const w of waiting.splice(0)) w();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
