import { syncSheetsOnSchedule } from '@/src/server/sheets';
import { defineWorker } from './define';

/** Cron (SHEETS_SYNC_CRON): import channels from the team's sheet, export channels and approved/published candidates. */
export default defineWorker({
  queue: 'sheets.sync',
  run: () => syncSheetsOnSchedule(),
});
