import { sheetsConfigured } from '@/src/server/integrations/sheets/client';
import { log } from '@/src/server/logger';
import { syncSheets } from '@/src/server/sheets';
import { defineWorker } from './define';

/** Cron (SHEETS_SYNC_CRON): import channels from the team's sheet, export channels and approved/published candidates. */
export default defineWorker({
  queue: 'sheets.sync',
  async run() {
    const { configured, missing } = sheetsConfigured();
    if (!configured) return log.info({ missing }, 'sheets.sync: Google Sheets is not configured; nothing to do');
    await syncSheets('system');
  },
});
