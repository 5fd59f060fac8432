import { createBackup } from '@/src/server/ops/backup';
import { getSetting } from '@/src/server/settings';
import { defineWorker } from './define';

/** Cron: one backup archive under DATA_DIR/backups (pg_dump of the running database + media), older ones pruned. */
export default defineWorker({
  queue: 'db.backup',
  async run() {
    const { backupKeep } = await getSetting('retention');
    await createBackup({ keep: backupKeep });
  },
});
