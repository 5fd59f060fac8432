import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = { title: 'influence-item', description: '유명인 추천 제품 후보 검토 콘솔' };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="ko">
      <body>{children}</body>
    </html>
  );
}
