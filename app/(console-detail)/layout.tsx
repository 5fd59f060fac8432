/**
 * One video's and one candidate's pages: the console's frame, without the console's loading.tsx. A route-level
 * loading boundary starts the response (status 200) before the page can find out that its video or candidate does not
 * exist; here the page checks first, so notFound() answers 404 (and the not-found text, inside the frame).
 */
export { default } from '@/app/(console)/layout';

export const dynamic = 'force-dynamic';
