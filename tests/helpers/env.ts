import { resetConfig } from '@/src/server/config';

/** Sets (or, for undefined, removes) environment variables and makes the next getConfig() read them. */
export function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetConfig();
}
