import type { Metadata } from 'next';
import { headers } from 'next/headers';
import './globals.css';

export const metadata: Metadata = { title: 'influence-item', description: '유명인 추천 제품 후보 검토 콘솔' };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Rendered per request, never prerendered: Next.js can only put the response's CSP nonce (proxy.ts) on its scripts then.
  await headers();
  return (
    <html lang="ko">
      <body>{children}</body>
    </html>
  );
}
