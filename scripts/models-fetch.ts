/**
 * npm run models:fetch [-- --verify] [-- --no-whisper]
 * Downloads missing model files into MODELS_DIR from MODELS_BASE_URL (same relative paths) or the official
 * sources, checks sha256 (known in advance for YOLOX, stated by Hugging Face for Whisper's large files, else
 * recorded on first download), skips files already present, and prints what it did. A transfer with no data for
 * MODELS_STALL_TIMEOUT_SEC is aborted; without network it stops after the first file. Exit code 1 if any file failed
 * (e.g. a checksum mismatch or no network). `npm start` does the same in the background (MODELS_AUTO_FETCH).
 */
import { getConfig } from '@/src/server/config';
import { downloadPlan, fetchModels } from '@/src/models/fetch';
import { whisperDtype } from '@/src/models/registry';

async function main(): Promise<number> {
  const cfg = getConfig();
  const args = new Set(process.argv.slice(2));
  const items = downloadPlan({
    baseUrl: cfg.MODELS_BASE_URL,
    whisperModel: cfg.WHISPER_MODEL,
    whisperDtype: whisperDtype(cfg.INFER_DEVICE),
    includeWhisper: !args.has('--no-whisper'),
  });
  console.log(`models:fetch → ${cfg.MODELS_DIR} (source: ${cfg.MODELS_BASE_URL ?? 'official URLs'})`);
  const results = await fetchModels(items, {
    modelsDir: cfg.MODELS_DIR,
    verify: args.has('--verify'),
    stallTimeoutMs: cfg.MODELS_STALL_TIMEOUT_SEC * 1000,
    stopWhenOffline: true,
    onResult: (r) => {
      const checked = { known: 'verified against the known sha256', server: 'verified against the server-stated sha256', none: 'trusted on first download' };
      const extra =
        r.action === 'downloaded'
          ? ` ${(r.bytes! / 1e6).toFixed(1)} MB sha256 ${r.sha256} (${checked[r.verifiedBy ?? 'none']})`
          : r.action === 'failed'
            ? ` — ${r.error}`
            : r.sha256
              ? ` sha256 ${r.sha256}`
              : ' (already present)';
      console.log(`  ${r.action.padEnd(10)} ${r.relPath}${extra}`);
    },
  });
  const failed = results.filter((r) => r.action === 'failed').length;
  const counts = (a: string) => results.filter((r) => r.action === a).length;
  console.log(
    `done: ${counts('downloaded')} downloaded, ${counts('skipped') + counts('verified')} present, ${failed} failed`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
