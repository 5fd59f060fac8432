import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { InvalidMediaError } from '@/src/server/media/probe';
import { receiveUpload } from '@/src/server/videos';

/** Multipart upload: `file`, optional `captions` (.vtt/.srt), `title`, `description` → 202 {id, video}; a repeat → 200. */
export const POST = withApi({}, async ({ req }) => {
  try {
    const { video, created } = await receiveUpload(req);
    return NextResponse.json({ id: video.id, video }, { status: created ? 202 : 200 });
  } catch (err) {
    if (err instanceof InvalidMediaError) {
      return NextResponse.json({ error: { code: err.mediaCode, message: err.message, field: err.field } }, { status: 400 });
    }
    throw err;
  }
});
