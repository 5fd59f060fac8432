import { defineConfig } from '@playwright/test';

/**
 * Browser tests against the real app. Each spec starts its own server (tests/helpers/server.ts) on a fresh database,
 * so nothing here starts a web server. Debian's chromium, never a downloaded browser.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 120_000,
  workers: 1,
  retries: 0,
  use: {
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    locale: 'ko-KR',
    permissions: ['clipboard-read', 'clipboard-write'],
  },
});
