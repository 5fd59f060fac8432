import { eq, sql } from 'drizzle-orm';
import { getDb, schema } from '@/src/server/db';

const { apiUsage } = schema;

export type VideoUsage = {
  provider: string;
  operation: string;
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
};

/**
 * External usage of one video (PRODUCT.md operations; issue 4 §9): every Gemini call with its tokens and cost and
 * every Coupang/YouTube call, per provider and operation, from the api_usage ledger the policy layer writes.
 */
export async function usageOfVideo(videoId: number): Promise<VideoUsage[]> {
  const rows = await getDb()
    .select({
      provider: apiUsage.provider,
      operation: apiUsage.operation,
      calls: sql<number>`count(*)::int`,
      errors: sql<number>`count(*) filter (where ${apiUsage.outcome} <> 'ok')::int`,
      inputTokens: sql<number>`coalesce(sum(${apiUsage.inputTokens}), 0)::int`,
      outputTokens: sql<number>`coalesce(sum(${apiUsage.outputTokens}), 0)::int`,
      costUsd: sql<string>`coalesce(sum(${apiUsage.costUsd}), 0)::text`,
    })
    .from(apiUsage)
    .where(eq(apiUsage.videoId, videoId))
    .groupBy(apiUsage.provider, apiUsage.operation)
    .orderBy(apiUsage.provider, apiUsage.operation);
  return rows.map((r) => ({ ...r, costUsd: Number(r.costUsd) }));
}
