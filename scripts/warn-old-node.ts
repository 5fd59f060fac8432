/**
 * Imported first by scripts/start.ts, so it runs before Next.js and the app load: on a Node older than package.json's
 * engines, one warning line on stderr, then the start goes on.
 */
import fs from 'node:fs';
import { nodeVersionWarning } from './node-version';

try {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines?: { node?: string } };
  const warning = pkg.engines?.node ? nodeVersionWarning(process.version, pkg.engines.node) : undefined;
  if (warning) console.warn(warning);
} catch {
  /* no readable package.json: nothing to compare against */
}
