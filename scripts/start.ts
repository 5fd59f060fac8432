/**
 * `npm start`: checks the configuration, builds the app when the sources changed since the last build, then serves
 * it in this process (web + workers by APP_ROLE; the embedded database starts with it unless DATABASE_URL is set).
 * One process on purpose: `kill -9` leaves nothing behind but an embedded Postgres, which the next start adopts.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { ConfigError, loadConfig } from '../src/server/config';

process.env.NEXT_TELEMETRY_DISABLED = '1';
const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);

let config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

const buildInputs = ['app', 'src', 'public', 'drizzle', 'next.config.ts', 'proxy.ts', 'instrumentation.ts', 'package-lock.json', 'tsconfig.json'];

/** A fingerprint of everything the build reads (paths, sizes, mtimes): cheap, and changes whenever a source does. */
function sourceFingerprint(): string {
  const hash = crypto.createHash('sha256');
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else {
      hash.update(`${p}:${st.size}:${st.mtimeMs}\n`);
    }
  };
  buildInputs.forEach(walk);
  return hash.digest('hex');
}

const stampFile = path.join(root, '.next', 'influence-build-stamp');
const fingerprint = sourceFingerprint();
const built = fs.existsSync(path.join(root, '.next', 'BUILD_ID')) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === fingerprint;
if (!built) {
  console.log('influence-item: building the app (first start or sources changed)…');
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const res = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (res.status !== 0) {
    console.error('influence-item: the build failed (see above).');
    process.exit(res.status ?? 1);
  }
  fs.writeFileSync(stampFile, fingerprint);
}

const app = next({ dev: false, dir: root, port: config.PORT, hostname: '0.0.0.0' });
await app.prepare(); // runs instrumentation.ts: database, migrations, queue, workers
const handle = app.getRequestHandler();
const server = http.createServer((req, res) => handle(req, res));
server.on('error', (err: NodeJS.ErrnoException) => {
  console.error(
    err.code === 'EADDRINUSE'
      ? `influence-item: port ${config.PORT} is already in use. Stop the other process or set PORT.`
      : `influence-item: ${err.message}`,
  );
  process.exit(1);
});
server.listen(config.PORT, () => {
  console.log(`influence-item: ready on http://localhost:${config.PORT} (role ${config.APP_ROLE})`);
});
// Stop accepting requests on shutdown; bootstrap's own handler stops workers and the database.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.close());
