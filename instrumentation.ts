/** Next.js calls this once per server process: start the database, queue and workers before serving. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startApp } = await import('@/src/server/bootstrap');
    await startApp();
  }
}
