'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { ko } from '@/app/_i18n/ko';

const items = [
  { href: '/', label: ko.nav.candidates },
  { href: '/videos', label: ko.nav.videos },
  { href: '/channels', label: ko.nav.channels },
  { href: '/analyze', label: ko.nav.analyze },
  { href: '/ops', label: ko.nav.ops },
  { href: '/settings', label: ko.nav.settings },
];

export function Nav() {
  const path = usePathname();
  return (
    <nav aria-label="주 메뉴" style={{ display: 'contents' }}>
      {items.map((i) => {
        const active = i.href === '/' ? path === '/' : path.startsWith(i.href);
        return (
          <Link key={i.href} href={i.href} aria-current={active ? 'page' : undefined}>
            {i.label}
          </Link>
        );
      })}
    </nav>
  );
}
