/** Local fakes of external internet services for integration tests. See each server.ts header for its API. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type { RecordedRequest, CannedResponse, FakeServer } from './http';
export { sharedDir, readContract, readContractJson } from './http';
export { startYoutubeFeedFake, channelFeedFromContract, longFormPlaylistId, type FeedEntry, type YoutubeFeedFake } from './youtube-feed/server';
export { startYoutubeDataFake, type FakeChannel, type FakeVideo, type SearchRef, type YoutubeDataFake } from './youtube-data/server';
export { startSheetsFake, redirectTokenRequests, a1, type SheetsFake } from './sheets/server';
export { startGeminiFake, type GeminiFake } from './gemini/server';
export { startCoupangFake, COUPANG_SEARCH_PATH, COUPANG_DEEPLINK_PATH, type CoupangFake, type CoupangProduct } from './coupang/server';
export { coupangAuthorization, coupangSignature, coupangSignedDate, verifyCoupangRequest } from './coupang/signature';
export { startSlackFake, type SlackFake } from './slack/server';

/** Absolute path of the fake yt-dlp executable (plain JS, chmod +x). */
export const YTDLP_FAKE_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'yt-dlp', 'yt-dlp');
