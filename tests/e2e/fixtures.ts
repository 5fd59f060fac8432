import { test as base, expect } from '@playwright/test';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';

export const ADMIN = { email: 'operator@example.com', password: 'correct-horse-battery' };
export const API_TOKEN = 'e2e-token-0123456789abcdef';

type Fixtures = { app: TestServer; appEnv: Record<string, string> };

/**
 * One real server per test file (worker scope), on its own database. A file sets more variables for its server with
 * `test.use({ appEnv: {…} })`.
 */
export const test = base.extend<{}, Fixtures>({
  appEnv: [{}, { scope: 'worker', option: true }],
  app: [
    async ({ appEnv }, use) => {
      const db = await createTestDatabase('e2e');
      const server = await startServer({
        DATABASE_URL: db.url,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        API_TOKEN,
        ...appEnv,
      });
      await use(server);
      await server.stop();
      await db.drop();
    },
    { scope: 'worker' },
  ],
});

export { expect };

export async function signIn(page: import('@playwright/test').Page, baseUrl: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('이메일').fill(ADMIN.email);
  await page.getByLabel('비밀번호').fill(ADMIN.password);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.waitForURL(`${baseUrl}/`);
}
