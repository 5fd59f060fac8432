import { withApi } from '@/src/server/auth/with-api';
import { goldenJsonLines } from '@/src/server/golden';

/** The golden dataset (operator corrections as model/human pairs with evidence), one JSON object per line. */
export const GET = withApi({}, async () => {
  const lines = goldenJsonLines();
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await lines.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': 'attachment; filename="golden.jsonl"',
      'cache-control': 'no-store',
    },
  });
});
