import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Everything `next build` reads. */
const buildInputs = ['app', 'src', 'public', 'drizzle', 'next.config.ts', 'proxy.ts', 'instrumentation.ts', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

/** A fingerprint of the build inputs (paths, sizes, mtimes): cheap, and changes whenever a source does. */
function sourceFingerprint(root: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else {
      hash.update(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}\n`);
    }
  };
  buildInputs.forEach((p) => walk(path.join(root, p)));
  return hash.digest('hex');
}

/** Runs `next build` unless the last build was made from the same sources. Returns false when the build failed. */
export function buildIfNeeded(root: string, opts: { force?: boolean } = {}): boolean {
  const distDir = path.join(root, process.env.NEXT_DIST_DIR || '.next');
  const stampFile = path.join(distDir, 'influence-build-stamp');
  const fingerprint = sourceFingerprint(root);
  const upToDate =
    fs.existsSync(path.join(distDir, 'BUILD_ID')) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === fingerprint;
  if (upToDate && !opts.force) return true;
  console.log('influence-item: building the app (first start or sources changed)…');
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const res = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (res.status !== 0) return false;
  fs.writeFileSync(stampFile, fingerprint);
  return true;
}
