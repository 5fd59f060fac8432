import fs from 'node:fs';
import path from 'node:path';

/** ../shared by default; tests read fixtures and models there in place, never copying them. */
export const SHARED_DIR = path.resolve(process.env.SHARED_DIR ?? path.resolve(process.cwd(), '../shared'));
export const MODELS_DIR = path.resolve(process.env.MODELS_DIR ?? path.join(SHARED_DIR, 'models'));
export const FIXTURES = path.join(SHARED_DIR, 'models', 'fixtures');
export const TEST_IMAGES = path.join(SHARED_DIR, 'models', 'test-images');

/** Points the app config at MODELS_DIR before src/models reads it. */
export function useModelsDir(dir = MODELS_DIR): void {
  process.env.MODELS_DIR = dir;
  process.env.LOG_LEVEL ??= 'warn';
}

export function exists(file: string): boolean {
  try {
    return fs.statSync(file).size > 0;
  } catch {
    return false;
  }
}
