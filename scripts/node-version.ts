/**
 * The Node.js the app supports is package.json's `engines.node` (the current LTS). `npm start` on an older Node prints
 * one warning line and goes on (scripts/warn-old-node.ts); `.ci/run` installs Node 24 from the npm registry instead.
 */

/** The minimum version in an engines range such as ">=24" or ">=24.1.0"; undefined when it has none. */
export function minimumNode(engines: string): [number, number, number] | undefined {
  const m = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(engines);
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

/** One warning line when `version` (process.version) is older than `engines` asks; undefined otherwise. */
export function nodeVersionWarning(version: string, engines: string): string | undefined {
  const min = minimumNode(engines);
  const have = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1).map(Number);
  if (!min || !have) return undefined;
  for (let i = 0; i < 3; i++) {
    if (have[i] > min[i]) return undefined;
    if (have[i] < min[i]) {
      return (
        `influence-item: warning: Node.js ${version} is older than the supported ${engines.trim()} (Node ${min[0]}, the ` +
        `current LTS); starting anyway, but some dependencies need a newer Node: install Node ${min[0]} or newer.`
      );
    }
  }
  return undefined;
}
