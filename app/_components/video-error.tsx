import { ko } from '@/app/_i18n/ko';
import { RichText } from '@/app/_components/rich-text';

/**
 * A failed video's error as the operator reads it: the stage that failed and what to do next, chosen by the error
 * code (ko.videoErrors). The stored technical message stays available, folded, for whoever reads the server log.
 */
export function videoErrorAdvice(code: string | null | undefined, stage: string | null | undefined): string {
  const t = ko.videoErrors;
  return (stage && code ? t.byStage[`${stage}:${code}`] : undefined) ?? (code ? t.codes[code] : undefined) ?? t.codes.internal;
}

export function VideoError({ code, message, stage }: { code: string | null | undefined; message?: string | null; stage?: string | null }) {
  return (
    <div className="video-error" data-error-code={code ?? ''}>
      {stage ? <strong className="error-text">{ko.videoErrors.failedIn(ko.stages[stage] ?? stage)}</strong> : null}
      <div className="error-text">
        <RichText text={videoErrorAdvice(code, stage)} />
      </div>
      {message ? (
        <details className="tech">
          <summary>{ko.videoErrors.detail}</summary>
          <pre>{message}</pre>
        </details>
      ) : null}
    </div>
  );
}
