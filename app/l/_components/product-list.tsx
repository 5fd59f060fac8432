import Link from 'next/link';
import { ko } from '@/app/_i18n/ko';
import { COUPANG_DISCLOSURE } from '@/src/server/analysis/synthesis-copy';
import { publicPaths, type PublicPage } from '@/src/server/link-in-bio';
import './link-page.css';

const t = ko.linkPage;

/** yyyy.mm.dd in Korea (the page is static text for viewers; no time zone negotiation). */
const day = (iso: string | null) =>
  iso ? new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso)) : null;

/**
 * The public list (server-rendered, no client script of its own): a card per product with its crop, name, the
 * celebrity and the video it came from, the Coupang button through the counting short link, and the disclosure.
 */
export function ProductList(props: { data: PublicPage; celebrity?: string; basePath: string }) {
  const { data } = props;
  const heading = props.celebrity ? t.celebrityTitle(props.celebrity) : t.title;
  const pageHref = (n: number) => (n <= 1 ? props.basePath : `${props.basePath}?page=${n}`);
  return (
    <main className="lp">
      <header className="lp-head">
        <h1>{heading}</h1>
        <p className="lp-count">{t.count(data.total)}</p>
        <p className="lp-disclosure" data-testid="disclosure">
          {COUPANG_DISCLOSURE}
        </p>
        {data.celebrities.length > 1 || props.celebrity ? (
          <nav className="lp-celebs" aria-label={t.celebrities}>
            <Link href={publicPaths.page} aria-current={props.celebrity ? undefined : 'page'} prefetch={false}>
              {t.all}
            </Link>
            {data.celebrities.map((c) => (
              <Link key={c.name} href={publicPaths.celebrity(c.name)} aria-current={c.name === props.celebrity ? 'page' : undefined} prefetch={false}>
                {c.name}
              </Link>
            ))}
          </nav>
        ) : null}
      </header>
      {data.products.length === 0 ? (
        <p className="lp-empty">{t.empty}</p>
      ) : (
        <ol className="lp-list">
          {data.products.map((p, i) => (
            <li key={p.slug} className="lp-item" data-testid="public-product" data-slug={p.slug}>
              <a className="lp-thumb" href={p.href} rel="sponsored nofollow noopener" tabIndex={-1} aria-hidden="true">
                {p.thumbnail ? (
                  // eslint-disable-next-line @next/next/no-img-element
                  <img src={p.thumbnail} alt="" width={112} height={112} loading={i < 4 ? 'eager' : 'lazy'} decoding="async" />
                ) : (
                  <span className="lp-noimg">{t.noThumbnail}</span>
                )}
              </a>
              <div className="lp-body">
                <h2 className="lp-name" data-testid="product-name">
                  {p.productName}
                </h2>
                <p className="lp-source">
                  {p.celebrityName ? (
                    <Link href={publicPaths.celebrity(p.celebrityName)} prefetch={false} className="lp-celeb">
                      {p.celebrityName}
                    </Link>
                  ) : null}
                  {p.videoTitle ? (
                    <span className="lp-video">
                      {t.from}:{' '}
                      {p.videoUrl ? (
                        <a href={p.videoUrl} rel="noopener noreferrer" target="_blank">
                          {p.videoTitle}
                        </a>
                      ) : (
                        p.videoTitle
                      )}
                    </span>
                  ) : null}
                  {p.publishedAt ? <time dateTime={p.publishedAt}>{day(p.publishedAt)}</time> : null}
                </p>
                <a className="lp-buy" href={p.href} rel="sponsored nofollow noopener" data-testid="buy-link">
                  {t.buy}
                </a>
                <p className="lp-item-disclosure">{COUPANG_DISCLOSURE}</p>
              </div>
            </li>
          ))}
        </ol>
      )}
      {data.pages > 1 ? (
        <nav className="lp-pages" aria-label={t.pageOf(data.page, data.pages)}>
          {data.page > 1 ? (
            <Link href={pageHref(data.page - 1)} rel="prev" prefetch={false}>
              {t.prev}
            </Link>
          ) : (
            <span />
          )}
          <span>{t.pageOf(data.page, data.pages)}</span>
          {data.page < data.pages ? (
            <Link href={pageHref(data.page + 1)} rel="next" prefetch={false}>
              {t.next}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </main>
  );
}
