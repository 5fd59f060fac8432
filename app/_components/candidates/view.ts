/** The queue view lives in the URL: these keys (and cursor on the list) make a view shareable and reloadable. */
export const VIEW_KEYS = ['tab', 'sort', 'order', 'q', 'category', 'celebrityId', 'channelId', 'videoId', 'scoreMin', 'scoreMax', 'ppl', 'method', 'demo'] as const;
export type ViewKey = (typeof VIEW_KEYS)[number];
export type View = Partial<Record<ViewKey | 'cursor', string>>;

/** Picks the view keys out of Next's searchParams (first value of repeated keys). */
export function viewFromParams(sp: Record<string, string | string[] | undefined>, withCursor = true): View {
  const out: View = {};
  for (const k of [...VIEW_KEYS, ...(withCursor ? (['cursor'] as const) : [])]) {
    const v = sp[k];
    const s = Array.isArray(v) ? v[0] : v;
    if (s) out[k] = s;
  }
  return out;
}

export function viewSearch(view: View, overrides: View = {}, drop: (ViewKey | 'cursor')[] = []): string {
  const p = new URLSearchParams();
  const merged = { ...view, ...overrides };
  for (const [k, v] of Object.entries(merged)) if (v && !drop.includes(k as ViewKey)) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export { api, ApiError } from '@/app/_lib/api';

/** Whether a keyboard event comes from a text field (shortcuts must not fire while typing). */
export function typingIn(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}

const LAST_ACTION = 'influence-item.lastAction';
/** The candidate of the operator's last action in this tab, for undo from anywhere in the console. */
export const lastAction = {
  set: (id: string) => sessionStorage.setItem(LAST_ACTION, id),
  get: () => (typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(LAST_ACTION)),
  clear: () => sessionStorage.removeItem(LAST_ACTION),
};

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}
