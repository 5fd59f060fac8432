import { romanizeHangul } from './romanize';

/** Letters of a short link's random part: lower-case, without the look-alikes 0/o, 1/l/i (base32-like). */
export const SLUG_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
/** What a stored slug looks like; anything else in `/l/p/<slug>` is a 404 without a query. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

const MAX_WORDS_LENGTH = 24;

/** `n` random letters of SLUG_ALPHABET from the given random source (crypto in the app, seeded in tests). */
export function randomPart(n: number, random: (size: number) => Uint8Array): string {
  const bytes = random(n);
  let out = '';
  for (let i = 0; i < n; i++) out += SLUG_ALPHABET[bytes[i] % SLUG_ALPHABET.length];
  return out;
}

/**
 * A short link for a product: its name romanised into at most ~24 characters of whole words, plus a random suffix
 * that makes it unique (`round-lab-dokdo-toneo-k7qm`); a name with nothing readable gives 6 random letters. Pure
 * apart from `random`.
 */
export function makeSlug(productName: string, random: (size: number) => Uint8Array): string {
  const words = romanizeHangul(productName.replace(/[™®©℠]/g, ' '))
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  // "확인 필요" (the product could not be named) reads as nothing.
  const readable = productName.trim() === '확인 필요' ? [] : words;
  let base = '';
  for (const w of readable) {
    const next = base ? `${base}-${w}` : w;
    if (next.length > MAX_WORDS_LENGTH) {
      if (!base) base = w.slice(0, MAX_WORDS_LENGTH);
      break;
    }
    base = next;
  }
  return base ? `${base}-${randomPart(4, random)}` : randomPart(6, random);
}
