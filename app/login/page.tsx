import type { Metadata } from 'next';
import { ko } from '@/app/_i18n/ko';
import { LoginForm } from './login-form';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: ko.pageTitles.login };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <div className="login">
      <div className="panel">
        <h1>
          {ko.appName} · {ko.auth.title}
        </h1>
        <LoginForm next={next} />
      </div>
    </div>
  );
}
