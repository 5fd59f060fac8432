/**
 * Open-world product naming for the no-key pass 2: a name from speech, a name from on-screen text, and the two
 * checked against each other. Nothing is invented: a name needs a brand (gazetteer) or a model token with a product
 * word after it, or on-screen text that the speech agrees with; otherwise it stays "확인 필요".
 *
 * - Speech: from a brand (or one of its product lines) forward over the product's words ("라운드랩 독도 토너예요" →
 *   "라운드랩 독도 토너", "테팔 인지니오 프라이팬이에요" → "테팔 인지니오 프라이팬"): plain words are taken, a
 *   product noun or a particle ends the name, a predicate stops it. A brand followed by nothing gets the product noun
 *   said about it in the same stretch ("다이슨 … 청소기").
 * - Screen: per frame, the brand line joined with the product lines beside it ("ROUND LAB" + "1025 DOKDO TONER");
 *   the text seen in the most frames wins.
 * - Both: a speech name and a screen name of the same product (same brand, a shared model or word) confirm each
 *   other. The Hangul speech form is kept (Coupang is searched in Korean) with any model token the screen adds.
 */
import { aliasKey, brandDisplayName, findBrandMentions, type Brand } from './brand-gazetteer';
import { prepareText, stemPredicate, stripParticle } from './korean-words';
import { normalizeText } from './normalize-korean';
import { modelTokens } from './product-mentions';
import { findProductNouns, isProductNoun } from './taxonomy';
import { UNKNOWN_PRODUCT } from './synthesis-copy';
import type { Detection, OcrLine } from './types';

export type NameCandidate = { name: string; source: 'ocr' | 'speech'; brand: Brand | null; product: boolean; support: number };
export type NameSource = { name: string; source: 'ocr' | 'speech'; confirmed: boolean };

const SIZE_LINE = /^[\d.,\s/]*(?:ml|g|kg|fl\.?\s*oz|oz|매|개입|ea|l|mg|정|캡슐|포)(?:[\s/\d.,]*(?:ml|g|kg|fl\.?\s*oz|oz))*\s*$/i;
const FRAME_GAP_SEC = 1.5;
const keepShortParticle = (stripped: string) => isProductNoun(stripped);
/** Words that are never part of a product name (fillers, adverbs, pronouns). */
const NOT_NAME_WORD = /^(?:꺼|거|것|껄|걸|게|건|\d+(?:포|개|팩|봉|봉지|알|잔|장|권|병|캔|통|번|시간|분|년|개월)|진짜|정말|너무|완전|엄청|약간|좀|그냥|이거|이건|이게|요거|얘|제가|저는|근데|그리고|그래서|아|어|음|네|요즘|요새|진심|되게|딱|바로|또|이|그|저|그거|이번|여기|거기|제일|가장|특히|일단|사실|솔직히|완전히|많이|매일|항상)$/;
const PREDICATE_END = /(?:요|다|죠|고|서|면|는데|지만|니까|어|아|해|네|게|지|였나|었나|았나|인가|일까|거나|는지|던지|는|던|라)$/;

/** Product names spoken in a text. */
export function speechNames(text: string): NameCandidate[] {
  const prepared = normalizeText(prepareText(text));
  const ws = prepared.split(' ');
  const out: NameCandidate[] = [];
  for (const m of findBrandMentions(prepared)) {
    const last = ws[m.wordIndex + m.wordCount - 1] ?? '';
    const brandWords = ws.slice(m.wordIndex, m.wordIndex + m.wordCount - 1).map(clean);
    const lastClean = stripParticle(clean(last), keepShortParticle);
    brandWords.push(lastClean);
    const picked: string[] = [];
    let product = m.kind === 'line' || isProductNoun(lastClean.replace(new RegExp(`^${escapeRe(m.alias)}`, 'i'), '') || '-');
    // a particle on the brand word itself ends the name there ("다이슨은 …")
    const lineOrBare = m.kind === 'line' || !product;
    if (lastClean === clean(last) && lineOrBare) {
      for (let j = m.wordIndex + m.wordCount; j < Math.min(ws.length, m.wordIndex + m.wordCount + 5); j++) {
        const raw = clean(ws[j]);
        if (!raw || NOT_NAME_WORD.test(raw)) break;
        const w = stripParticle(raw, keepShortParticle);
        const hasModel = modelTokens(w).length > 0;
        const noun = isProductNoun(w);
        const latin = /^[A-Za-z0-9][A-Za-z0-9+\-.]*$/.test(w);
        if (!noun && !hasModel && !latin && w === raw && PREDICATE_END.test(w) && stemPredicate(w) !== w) break;
        // a subject or object that is not a product word ends the name ("뉴발란스 530 엄마가 …")
        if (!noun && !hasModel && /[가-힣]{2,}(?:가|를|을|께서|한테|에게)$/.test(raw) && !isProductNoun(raw.replace(/(?:가|를|을|께서|한테|에게)$/, ''))) break;
        if (!noun && !hasModel && !latin && /[가-힣]/.test(w) && w.length > 7) break;
        picked.push(w);
        if (noun || hasModel) product = true;
        if (w !== raw || (noun && !isProductNoun(clean(ws[j + 1] ?? '').replace(/[은는이가을를도]$/, '')))) break;
      }
      // drop trailing words after the last product word ("독도 토너 진짜" never reaches here; "인지니오 손잡이" may)
      while (picked.length && !isProductNoun(picked.at(-1)!) && modelTokens(picked.at(-1)!).length === 0 && product && picked.some(isProductNoun)) picked.pop();
    }
    // a product line said alone ("530", "에어랩") carries its brand's name in front
    const brandSaid = m.kind === 'name' || [...m.brand.ko, ...m.brand.en, ...m.brand.spoken].some((n) => m.alias.startsWith(aliasKey(n))) || ws.slice(Math.max(0, m.wordIndex - 2), m.wordIndex).some((w) => findBrandMentions(w).some((b) => b.brand.id === m.brand.id && b.kind === 'name'));
    const prefix = brandSaid ? [] : [brandDisplayName(m.brand)];
    const name = [...prefix, ...brandWords, ...picked].join(' ').trim();
    out.push({ name, source: 'speech', brand: m.brand, product: product || m.kind === 'line' || picked.some((w) => modelTokens(w).length > 0), support: 1 });
  }
  // a model said without a known brand: "WF-1000XM5 이어폰"
  if (out.length === 0)
    for (const t of modelTokens(text)) {
      const after = ws.slice(ws.findIndex((w) => w.includes(t)) + 1, ws.findIndex((w) => w.includes(t)) + 3).map((w) => stripParticle(clean(w), keepShortParticle));
      const noun = after.find(isProductNoun);
      if (noun) out.push({ name: `${t} ${noun}`, source: 'speech', brand: null, product: true, support: 1 });
    }
  return out;
}

/** Objects that are not products (their text is a shirt print or a sign, not a label). */
const NOT_PRODUCT_OBJECTS = new Set(['person', 'car', 'bus', 'truck', 'train', 'bench', 'dining table', 'bed', 'couch', 'tv']);

/**
 * The lines worth reading in one frame: those inside or beside a detected product-like object when there is one
 * (text elsewhere is a sign or a caption), most prominent (tallest) first.
 */
function prominentLines(lines: OcrLine[], detections: readonly Detection[]): OcrLine[] {
  const objects = detections.filter((d) => !NOT_PRODUCT_OBJECTS.has(d.label));
  const near = (l: OcrLine) =>
    !l.box ||
    objects.some((d) => {
      const cx = l.box!.x + l.box!.width / 2;
      const cy = l.box!.y + l.box!.height / 2;
      const mx = d.box.width / 2;
      const my = d.box.height / 2;
      return cx >= d.box.x - mx && cx <= d.box.x + d.box.width + mx && cy >= d.box.y - my && cy <= d.box.y + d.box.height + my;
    });
  const inside = objects.length ? lines.filter(near) : lines;
  return (inside.length ? inside : lines).slice().sort((a, b) => (b.box?.height ?? 0) - (a.box?.height ?? 0));
}

/** Product names read on screen: per view of the product, the brand line joined with the product lines. */
export function screenNames(lines: readonly OcrLine[], minConfidence: number, detections: readonly Detection[] = []): NameCandidate[] {
  // lines read within FRAME_GAP_SEC of each other belong to one view of the product (one frame, or a card shown
  // line by line)
  const byFrame = new Map<number, string[]>();
  let view = -Infinity;
  let last = -Infinity;
  const frames = new Map<number, OcrLine[]>();
  for (const l of lines) if (l.confidence >= minConfidence) frames.set(l.t, [...(frames.get(l.t) ?? []), l]);
  for (const [t0, frameLines] of [...frames.entries()].sort((a, b) => a[0] - b[0])) {
    if (t0 - last > FRAME_GAP_SEC) view = t0;
    last = t0;
    const atFrame = detections.filter((d) => Math.abs(d.t - t0) < 0.01);
    for (const l of prominentLines(frameLines, atFrame)) {
      const t = normalizeText(l.text);
      if (!t || SIZE_LINE.test(t)) continue;
      byFrame.set(view, [...new Set([...(byFrame.get(view) ?? []), t])]);
    }
  }
  const found = new Map<string, NameCandidate>();
  for (const texts of byFrame.values()) {
    const brandLines = texts.filter((t) => findBrandMentions(t).length > 0);
    const productLines = texts.filter((t) => modelTokens(t).length > 0 || findProductNouns(t).some((n) => !n.weak) || (findBrandMentions(t).length > 0 && t.split(' ').length > 1));
    const brandLine = brandLines.find((b) => !productLines.includes(b)) ?? null;
    const brand = brandLine ? findBrandMentions(brandLine)[0].brand : productLines.map((p) => findBrandMentions(p)[0]?.brand).find(Boolean) ?? null;
    let name: string | null = null;
    if (productLines.length) {
      const product = productLines.slice(0, 2).join(' ');
      name = brandLine && !findBrandMentions(product).some((m) => m.kind === 'name') ? `${brandLine} ${product}` : product;
    } else if (brandLine) {
      // a brand with other words beside it ("Tefal" + "Ingenio"): the words are the product line
      const others = texts.filter((t) => t !== brandLine && /[A-Za-z가-힣]{3,}/.test(t) && t.length <= 30).slice(0, 2);
      name = [brandLine, ...others].join(' ');
    }
    if (!name) continue;
    const key = name.toLowerCase();
    const prev = found.get(key);
    found.set(key, { name, source: 'ocr', brand, product: productLines.length > 0, support: (prev?.support ?? 0) + 1 });
  }
  return [...found.values()];
}

const tokenSet = (s: string) =>
  new Set(
    normalizeText(s)
      .toLowerCase()
      .split(/[^0-9a-z가-힣]+/)
      .filter((t) => t.length >= 2),
  );

/** Same product: same brand (or none named) and a shared model token or product word. */
export function agree(a: NameCandidate, b: NameCandidate): boolean {
  if (a.brand && b.brand && a.brand.id !== b.brand.id) return false;
  const ma = new Set(modelTokens(a.name).map((t) => t.toLowerCase().replace(/-/g, '')));
  if (modelTokens(b.name).some((t) => ma.has(t.toLowerCase().replace(/-/g, '')))) return true;
  if (a.brand && b.brand) return true;
  const ta = tokenSet(a.name);
  return [...tokenSet(b.name)].some((t) => ta.has(t));
}

export type PickedName = { name: string; brand: Brand | null; sources: NameSource[] };

/**
 * The product's name from speech and screen. `speechNouns` are the product nouns said in the stretch, used to
 * complete a bare brand ("다이슨" + "청소기").
 */
export function pickProductName(speech: NameCandidate[], screen: NameCandidate[], speechText: string): PickedName {
  const all = [...speech, ...screen];
  const confirmed = (c: NameCandidate) => all.some((o) => o.source !== c.source && agree(o, c));
  const sources: NameSource[] = all.map((c) => ({ name: c.name, source: c.source, confirmed: confirmed(c) }));
  const score = (c: NameCandidate) => (confirmed(c) ? 4 : 0) + (c.product ? 2 : 0) + (c.brand ? 1 : 0) + Math.min(2, c.support) * 0.3 + (c.source === 'speech' ? 0.2 : 0);
  const ranked = all.slice().sort((a, b) => score(b) - score(a));
  const best = ranked[0];
  if (!best) return { name: UNKNOWN_PRODUCT, brand: null, sources };

  if (best.source === 'speech') {
    const partner = screen.find((s) => agree(s, best));
    let name = best.name;
    if (partner) {
      // the screen adds the model the speech left out ("소니 이어폰" + "WF-1000XM5")
      const missing = modelTokens(partner.name).filter((t) => !name.toLowerCase().includes(t.toLowerCase()));
      if (missing.length) {
        const ws = name.split(' ');
        name = [ws[0], ...missing, ...ws.slice(1)].join(' ');
      }
      if (!best.product && partner.product) return { name: partner.name, brand: partner.brand ?? best.brand, sources };
      // speech gave only brand and kind ("이케아 작업등"), the screen gives the product line ("IKEA TERTIAL")
      const brand = best.brand ?? partner.brand;
      const line = brand ? productLineWords(partner.name, brand) : [];
      if (line.length && productLineWords(name, brand!).length === 0) {
        const ws = name.split(' ');
        const at = ws.findIndex((w) => isProductNoun(w));
        name = [...ws.slice(0, at < 0 ? ws.length : at), ...line, ...(at < 0 ? [] : ws.slice(at))].join(' ');
      }
      return { name, brand, sources };
    }
    if (best.product) return { name, brand: best.brand, sources };
    // a bare brand: complete it with the product noun said in the same stretch
    const noun = findProductNouns(speechText).find((n) => !n.weak && !n.noun.match(/^[a-z]/i));
    if (best.brand && noun) return { name: `${best.name} ${noun.noun}`, brand: best.brand, sources };
    return { name: UNKNOWN_PRODUCT, brand: best.brand, sources };
  }
  // a brand on screen and the product's kind in speech ("Tefal Ingenio" + "이 프라이팬"): seen and said
  const spokenNoun = findProductNouns(speechText).find((n) => !n.weak);
  if (best.brand && !best.product && spokenNoun) return { name: `${best.name} ${spokenNoun.noun}`, brand: best.brand, sources };
  // screen only: clear when it names a product and either a brand or the speech agrees with it; the kind said aloud
  // completes a Latin package name for a Korean search ("IKEA TERTIAL" + "작업등")
  if (best.product && (best.brand || confirmed(best))) {
    const hangulNoun = findProductNouns(best.name).some((n) => /[가-힣]/.test(n.noun));
    const kind = findProductNouns(speechText).find((n) => !n.weak && /[가-힣]/.test(n.noun) && (!best.brand || n.path.startsWith(best.brand.category)));
    return { name: !hangulNoun && kind ? `${best.name} ${kind.noun}` : best.name, brand: best.brand, sources };
  }
  if (confirmed(best)) return { name: best.name, brand: best.brand, sources };
  return { name: UNKNOWN_PRODUCT, brand: best.brand, sources };
}

/** The words of a name that are neither the brand, a product noun nor a size: the product line ("TERTIAL"). */
function productLineWords(name: string, brand: Brand): string[] {
  let rest = ` ${normalizeText(name)} `;
  for (const alias of [...brand.en, ...brand.ko, ...brand.spoken].sort((a, b) => b.length - a.length)) {
    rest = rest.replace(new RegExp(`\\s${escapeRe(alias)}(?=\\s)`, 'ig'), ' ');
  }
  return rest
    .split(' ')
    .map(clean)
    .filter((w) => w && !isProductNoun(w) && !SIZE_LINE.test(w) && !NOT_NAME_WORD.test(w))
    .slice(0, 2);
}

const clean = (w: string) => w.replace(/^[.,!?~…"'()[\]「」]+|[.,!?~…"'()[\]「」]+$/g, '');
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

