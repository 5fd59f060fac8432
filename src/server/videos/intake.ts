import fs from 'node:fs';
import { whisperAvailable } from '@/src/models/asr';
import { DomainError } from '@/src/server/errors';
import { geminiConfigured } from '@/src/server/integrations/gemini/client';
import { ytdlpPath } from '@/src/server/media/binaries';
import { INTAKE_REFUSALS, planIntake, type IntakePlan, type IntakeTools } from './intake-plan';

export { INTAKE_REFUSALS, planIntake, type IntakePlan, type IntakeTools } from './intake-plan';

function executable(file: string | undefined): boolean {
  if (!file) return false;
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * What this process can use to analyse a video, looked up now: yt-dlp (YTDLP_PATH, else the PATH; a configured path
 * that is not an executable file counts as missing), the Gemini key, and the Whisper model's files.
 */
export function detectIntakeTools(): IntakeTools {
  return { ytdlp: executable(ytdlpPath()), gemini: geminiConfigured(), whisper: whisperAvailable() };
}

/** What will happen to a YouTube URL or an upload without captions here (the analyze form shows it first). */
export function currentIntakePlan(): IntakePlan {
  return planIntake(detectIntakeTools());
}

/** A 422 the operator can act on: the request is fine, this server has nothing to analyse it with. */
const refused = (message: string, field: string) => new DomainError('cannot_analyze', message, field);

/** A YouTube video can be analysed here: yt-dlp downloads it or Gemini reads its URL. */
export function assertYoutubeAnalyzable(plan: IntakePlan = currentIntakePlan()): void {
  if (plan.youtube === 'refused') throw refused(INTAKE_REFUSALS.youtube, 'url');
}

/** An upload without captions needs speech recognition (Whisper or Gemini). */
export function assertUploadAnalyzable(hasCaptions: boolean, plan: IntakePlan = currentIntakePlan()): void {
  if (!hasCaptions && plan.speech === 'none') throw refused(INTAKE_REFUSALS.uploadWithoutCaptions, 'captions');
}
