import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { ko } from '@/app/_i18n/ko';
import { TimeZoneProvider } from '@/app/_components/time';
import { validTimeZone } from '@/app/_lib/dates';
import { getConfig } from '@/src/server/config';
import './globals.css';

// Each page names itself (`export const metadata = { title: … }`): the tab reads "영상 · influence-item".
export const metadata: Metadata = {
  title: { default: ko.appName, template: `%s · ${ko.appName}` },
  description: ko.appDescription,
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Rendered per request, never prerendered: Next.js can only put the response's CSP nonce (proxy.ts) on its scripts then.
  await headers();
  return (
    <html lang="ko">
      <body>
        {/* every date on every page in the app's time zone (config TZ), on the server and in the browser alike */}
        <TimeZoneProvider timeZone={validTimeZone(getConfig().TZ)}>{children}</TimeZoneProvider>
      </body>
    </html>
  );
}
