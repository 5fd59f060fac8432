/**
 * `npm start`: checks the configuration, builds the app when the sources changed since the last build, then serves
 * it in this process (web + workers by APP_ROLE; the embedded database starts with it unless DATABASE_URL is set).
 * One process on purpose: `kill -9` leaves nothing behind but an embedded Postgres, which the next start adopts.
 */
import './warn-old-node'; // first: on a Node older than engines.node, one warning line before anything else loads
import http from 'node:http';
import path from 'node:path';
import nextEnv from '@next/env';
import next from 'next';
import { ConfigError, loadConfig } from '../src/server/config';
import { buildIfNeeded } from './build-if-needed';
import { resolveClientIp } from '../src/server/auth/client-ip';

process.env.NEXT_TELEMETRY_DISABLED = '1';
const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);

// .env.local / .env are read the way Next reads them, before the configuration is checked.
nextEnv.loadEnvConfig(root, false, { info: () => {}, error: console.error });

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

if (!process.env.SKIP_BUILD && !buildIfNeeded(root)) {
  console.error('influence-item: the build failed (see above).');
  process.exit(1);
}

const app = next({ dev: false, dir: root, port: config.PORT, hostname: config.HOST });
await app.prepare(); // runs instrumentation.ts: database, migrations, queue, workers
const handle = app.getRequestHandler();
const trustedHops = config.TRUST_PROXY_HOPS;
const server = http.createServer((req, res) => {
  // The one client address the app believes (sign-in throttling, sessions): a client cannot choose it by sending
  // X-Forwarded-For unless TRUST_PROXY_HOPS says a proxy of ours wrote it.
  req.headers['x-forwarded-for'] = resolveClientIp({ socketAddress: req.socket.remoteAddress, forwardedFor: req.headers['x-forwarded-for'], trustedHops });
  return handle(req, res);
});
server.on('error', (err: NodeJS.ErrnoException) => {
  console.error(
    err.code === 'EADDRINUSE'
      ? `influence-item: port ${config.PORT} is already in use. Stop the other process or set PORT.`
      : `influence-item: ${err.message}`,
  );
  process.exit(1);
});
server.listen(config.PORT, config.HOST, () => {
  const shown = config.HOST === '127.0.0.1' || config.HOST === '0.0.0.0' ? 'localhost' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  console.log(`influence-item: ready on http://${shown}:${config.PORT} (role ${config.APP_ROLE}, listening on ${config.HOST})`);
});
// Stop accepting requests on shutdown; src/start.ts's own handler stops workers and the database.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.close());
