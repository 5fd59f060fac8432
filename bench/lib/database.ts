import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/src/server/db/embedded';

/**
 * A fresh database for one benchmark run on the server of BENCH_DATABASE_URL / TEST_DATABASE_URL / DATABASE_URL, or
 * on an embedded Postgres in a temporary folder when none is set; `drop()` removes it (and stops the embedded server).
 */
export async function benchDatabase(prefix: string, port = 54392): Promise<{ url: string; drop(): Promise<void> }> {
  let server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!server) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ii-bench-pg-`));
    const e = await startEmbeddedPostgres({ dataDir: dir, port });
    server = e.url;
    stopEmbedded = async () => {
      await e.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const name = `${prefix}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
      await stopEmbedded?.();
    },
  };
}

/** CPU seconds of this process and of its waited-for children (ffmpeg), from /proc (Linux). */
export function cpuSeconds(): { self: number; children: number } {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const tick = 100; // USER_HZ on Linux
  // fields after "pid (comm) ": state is [0]; utime [11], stime [12], cutime [13], cstime [14]
  return { self: (Number(fields[11]) + Number(fields[12])) / tick, children: (Number(fields[13]) + Number(fields[14])) / tick };
}

/** The 1-minute load average and core count, printed beside every figure. */
export function machineLoad(): string {
  return `${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(2)}`;
}
