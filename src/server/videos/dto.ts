import type { VideoRow } from './repo';
import type { VideoDto } from './schemas';

export function toVideoDto(v: VideoRow): VideoDto {
  return {
    id: String(v.id),
    youtubeId: v.youtubeId,
    sourceUrl: v.sourceUrl,
    sourceKind: v.sourceKind,
    title: v.title,
    channelId: v.channelId === null ? null : String(v.channelId),
    celebrityId: v.celebrityId === null ? null : String(v.celebrityId),
    publishedAt: v.publishedAt?.toISOString() ?? null,
    durationSeconds: v.durationSeconds,
    stage: v.stage,
    skipReason: v.skipReason,
    skipRule: v.skipRule,
    error: v.errorCode ? { code: v.errorCode, message: v.errorMessage ?? '', stage: v.failedStage } : null,
    progress: v.progress,
    timings: v.timings,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    attempts: v.attempts,
    isDemo: v.isDemo,
  };
}
