import { ko } from '@/app/_i18n/ko';
import { requireOperator } from '@/src/server/auth/current';
import { Nav } from '@/app/_components/nav';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const operator = await requireOperator();
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">{ko.appName}</div>
        <Nav />
        <div className="spacer" />
        <div className="who">
          {ko.auth.signedInAs}: {operator.email}
        </div>
        <form action="/logout" method="post">
          <button type="submit">{ko.auth.signOut}</button>
        </form>
      </aside>
      <main>{children}</main>
    </div>
  );
}
