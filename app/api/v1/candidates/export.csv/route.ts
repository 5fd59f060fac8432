import { withApi } from '@/src/server/auth/with-api';
import { candidateCsvChunks, candidateCsvFilename } from '@/src/server/candidates';
import { listCandidatesQuery } from '@/src/server/candidates/schemas';

/** CSV of a view (tab, filters, sort): every matching candidate, UTF-8 with BOM for Excel. */
export const GET = withApi({ query: listCandidatesQuery }, async ({ query }) => {
  const chunks = candidateCsvChunks(query);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const name = candidateCsvFilename(query);
  return new Response(stream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name.ascii}"; filename*=UTF-8''${encodeURIComponent(name.utf8)}`,
      'cache-control': 'no-store',
    },
  });
});
