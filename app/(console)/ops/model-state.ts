import { ko } from '@/app/_i18n/ko';
import type { HealthModel } from '@/src/server/ops/health';

/**
 * How the 운영 page names a model and says its state, e.g. "다운로드 중 42 %", "오프라인: 모델을 받을 수 없어 건너뜀".
 * File names and technical messages in `detail` are `backticked` (shown as code).
 */
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
export function modelName(name: string): string {
  const t = ko.models;
  return name.startsWith('whisper:') ? t.whisper(name.slice('whisper:'.length)) : (t.names[name] ?? name);
}

export type ModelStateText = { text: string; tone: 'ok' | 'warn' | 'fail' | 'muted'; detail?: string };

export function modelStateText(m: HealthModel): ModelStateText {
  const t = ko.models;
  switch (m.state) {
    case 'present':
      return { text: t.present, tone: 'ok', detail: m.unverifiedFiles?.length ? `${t.unverified(m.unverifiedFiles.length)}: ${m.unverifiedFiles.map(code).join(', ')}` : undefined };
    case 'queued':
      return { text: t.queued, tone: 'warn', detail: m.elsewhere ? t.elsewhere(m.elsewhere.host, m.elsewhere.pid) : undefined };
    case 'downloading': {
      const p = m.progress;
      const text = t.downloading(p?.percent ?? null, ((p?.bytesDone ?? 0) / 1e6).toFixed(1));
      const detail = [p && p.fileCount > 1 ? t.file(p.fileIndex, p.fileCount, code(p.file)) : undefined, m.elsewhere ? t.elsewhere(m.elsewhere.host, m.elsewhere.pid) : undefined];
      return { text, tone: 'warn', detail: detail.filter(Boolean).join(' · ') || undefined };
    }
    case 'failed': {
      const reason = m.reason ?? 'error';
      const text = reason === 'http_status' && m.httpStatus ? `${t.failed.http_status} ${m.httpStatus}` : (t.failed[reason] ?? t.failed.error);
      return { text, tone: 'fail', detail: m.message ? code(m.message) : undefined };
    }
    case 'missing':
      return { text: t.missing[m.reason ?? 'not_started'] ?? t.missing.not_started, tone: 'fail', detail: m.missing.map(code).join(', ') || undefined };
    case 'not_needed':
      return { text: t.notNeeded, tone: 'muted' };
  }
}
