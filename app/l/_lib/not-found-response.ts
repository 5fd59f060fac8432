import { ko } from '@/app/_i18n/ko';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The Korean 404 of a short link or thumbnail that leads nowhere (a route handler cannot render not-found.tsx). */
export function linkNotFound(): Response {
  const t = ko.linkPage;
  const html = `<!doctype html><html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(t.notFoundTitle)}</title><style>body{margin:0;font-family:'Noto Sans KR','Noto Sans CJK KR','Apple SD Gothic Neo',system-ui,sans-serif;background:#f6f7f9;color:#1b1f24}main{max-width:480px;margin:0 auto;padding:48px 20px;text-align:center}h1{font-size:20px}p{color:#5b6470;line-height:1.6;word-break:keep-all}a{display:inline-block;margin-top:12px;padding:12px 20px;border-radius:10px;background:#2f5bd3;color:#fff;text-decoration:none;font-weight:600}</style></head><body><main><h1>${escape(t.notFoundTitle)}</h1><p>${escape(t.notFoundBody)}</p><a href="/l">${escape(t.backToList)}</a></main></body></html>`;
  return new Response(html, { status: 404, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}
