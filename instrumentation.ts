/** Next.js calls this once per server process: start the database, queue and workers before serving. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startApp, startBackgroundWork } = await import('@/src/start');
    try {
      await startApp();
      startBackgroundWork(); // missing models download in the background (MODELS_AUTO_FETCH); serving starts now
    } catch (err) {
      // Without its database the process cannot do anything useful: say why and let the supervisor restart it.
      console.error(`influence-item could not start: ${(err as Error).message}`);
      process.exit(1);
    }
  }
}
