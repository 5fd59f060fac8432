/**
 * What happens to a submitted video on this server, decided from what is installed and configured (intake.ts detects
 * it): a YouTube URL is downloaded with yt-dlp, else read by Gemini from its URL (transcript and frames, no download),
 * else refused; speech without captions is transcribed by local Whisper, else by Gemini, else not at all (an upload
 * must then bring its captions). Pure, no imports: the analyze form shows the plan before anything is sent, and the
 * console's dictionary shows the same refusals the API answers with.
 */
export type IntakeTools = {
  /** yt-dlp found (YTDLP_PATH, else the PATH) and executable. */
  ytdlp: boolean;
  /** GEMINI_API_KEY is set. */
  gemini: boolean;
  /** The Whisper model's files are all in MODELS_DIR. */
  whisper: boolean;
};

export type IntakePlan = {
  youtube: 'download' | 'gemini_url' | 'refused';
  /** How speech becomes a transcript when there are no captions. */
  speech: 'whisper' | 'gemini' | 'none';
  tools: IntakeTools;
};

export function planIntake(tools: IntakeTools): IntakePlan {
  return {
    youtube: tools.ytdlp ? 'download' : tools.gemini ? 'gemini_url' : 'refused',
    speech: tools.whisper ? 'whisper' : tools.gemini ? 'gemini' : 'none',
    tools,
  };
}

/**
 * The refusals, in Korean because the operator reads them as they are (the API's `message` and the console's
 * dictionary, app/_i18n/ko.ts, carry the same text); each says what to install or configure.
 */
export const INTAKE_REFUSALS = {
  youtube:
    'YouTube 영상을 분석할 수 없습니다. 이 서버에는 `yt-dlp`가 설치되어 있지 않고 Gemini 키(`GEMINI_API_KEY`)도 설정되어 있지 않습니다. ' +
    '`yt-dlp`를 설치하거나(`PATH`에 두거나 `YTDLP_PATH`로 위치 지정) `GEMINI_API_KEY`를 설정한 뒤 다시 요청하세요. 영상 파일이 있으면 파일 업로드로 분석할 수 있습니다.',
  uploadWithoutCaptions:
    '자막 파일 없이는 분석할 수 없습니다. 이 서버에는 음성 인식 수단(Whisper 모델 또는 `GEMINI_API_KEY`)이 없습니다. ' +
    '자막 파일(.vtt, .srt)을 함께 올리거나, Whisper 모델을 받거나(`npm run models:fetch` 또는 운영 → 모델) `GEMINI_API_KEY`를 설정한 뒤 다시 올리세요.',
} as const;
