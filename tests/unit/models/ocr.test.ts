import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { FIXTURES, exists, useModelsDir } from './helpers';

useModelsDir();
const { readText, closeOcr } = await import('@/src/models/ocr');
const { mergeLines, normalizeText, isNearDuplicate, textSimilarity } = await import('@/src/models/ocr-merge');
type OcrLine = import('@/src/models/ocr-merge').OcrLine;

after(() => closeOcr());

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, '');
function hasLine(lines: OcrLine[], wanted: string): boolean {
  return lines.some((l) => squash(l.text).includes(squash(wanted)));
}
const show = (lines: OcrLine[]) => JSON.stringify(lines.map((l) => [l.engine, l.text, l.confidence]));

describe('merging OCR lines', () => {
  const box = (x: number, y: number, width = 200, height = 30) => ({ x, y, width, height });

  test('normalisation ignores case, spaces and punctuation', () => {
    assert.equal(normalizeText(' ROUND  LAB. '), 'roundlab');
    assert.equal(normalizeText('200ml / 6.7 fl.oz'), '200ml67floz');
    assert.equal(textSimilarity('ROUND LAB', 'roundlab'), 1);
    assert.ok(textSimilarity('ROUND LAB', 'DOKDO TONER') < 0.5);
  });

  test('near-identical lines at the same place collapse; different lines and places stay', () => {
    const a: OcrLine = { text: '1025DOKDOTONER', confidence: 0.95, box: box(10, 100), engine: 'ppocr' };
    const b: OcrLine = { text: '1025 DOKDO TONER', confidence: 0.93, box: box(12, 102), engine: 'tesseract' };
    const elsewhere: OcrLine = { ...b, box: box(10, 400) };
    const other: OcrLine = { text: 'ROUND LAB', confidence: 0.9, box: box(10, 40), engine: 'tesseract' };
    assert.ok(isNearDuplicate(a, b));
    assert.ok(!isNearDuplicate(a, elsewhere));
    const merged = mergeLines([a, b, elsewhere, other, { text: ' . ', confidence: 1, engine: 'ppocr' }]);
    assert.deepEqual(
      merged.map((l) => [l.text, l.box?.y]),
      [['ROUND LAB', 40], ['1025 DOKDO TONER', 102], ['1025 DOKDO TONER', 400]],
      'spaced variant kept, reading order, empty text dropped',
    );
  });

  test('a Hangul reading beats a PP-OCR guess on the same spot; otherwise higher confidence wins', () => {
    const guess: OcrLine = { text: 'EH SE', confidence: 0.8, box: box(0, 0), engine: 'ppocr' };
    const hangul: OcrLine = { text: '라운드랩 독도 토너', confidence: 0.7, box: box(2, 1), engine: 'tesseract' };
    assert.deepEqual(mergeLines([guess, hangul]).map((l) => l.text), ['라운드랩 독도 토너']);
    const low: OcrLine = { text: 'ROUND LA8', confidence: 0.6, box: box(0, 0), engine: 'tesseract' };
    const high: OcrLine = { text: 'ROUND LAB', confidence: 0.97, box: box(0, 0), engine: 'ppocr' };
    assert.deepEqual(mergeLines([low, high]).map((l) => l.text), ['ROUND LAB']);
  });
});

const ocrFixture = path.join(FIXTURES, 'ocr_roundlab_en_ko.png');
const frame = path.join(FIXTURES, 'frame_roundlab_1280x720.jpg');
const skip = exists(ocrFixture) && exists(frame) ? false : `OCR fixtures not found under ${FIXTURES} (set SHARED_DIR)`;

describe('reading the fixtures', { skip }, () => {
  test('ocr_roundlab_en_ko.png → "ROUND LAB" and "라운드랩"', async () => {
    const lines = await readText(ocrFixture);
    assert.ok(hasLine(lines, 'ROUND LAB'), show(lines));
    assert.ok(hasLine(lines, '라운드랩'), show(lines));
    for (const l of lines) {
      assert.ok(l.confidence >= 0.4 && l.confidence <= 1, `confidence ${l.confidence}`);
      assert.ok(l.box && l.box.x >= 0 && l.box.x + l.box.width <= 900 && l.box.y + l.box.height <= 300, 'box in original pixels');
    }
    const hangul = lines.find((l) => l.text.includes('라운드랩'))!;
    assert.ok(hangul.box!.y > 150, 'second line sits in the lower half of the 300 px image');
  });

  test('frame_roundlab_1280x720.jpg (Buffer) → "ROUND LAB", "DOKDO TONER", boxes on the card', async () => {
    const lines = await readText(fs.readFileSync(frame));
    assert.ok(hasLine(lines, 'ROUND LAB'), show(lines));
    assert.ok(hasLine(lines, 'DOKDO TONER'), show(lines));
    const brand = lines.find((l) => squash(l.text).includes('roundlab'))!;
    assert.ok(brand.box && brand.box.x > 400 && brand.box.x < 640, `brand box ${JSON.stringify(brand.box)}`);
    const dups = lines.filter((l) => squash(l.text).includes('dokdotoner') && !/[가-힣]/.test(l.text));
    assert.equal(dups.length, 1, `one Latin DOKDO TONER line after merging: ${show(lines)}`);
  });

  test("languages: 'latin' uses PP-OCR only (no Hangul), 'hangul' uses Tesseract only", async () => {
    const latin = await readText(ocrFixture, { languages: 'latin' });
    assert.ok(latin.length > 0 && latin.every((l) => l.engine === 'ppocr'), show(latin));
    assert.ok(hasLine(latin, 'ROUND LAB'), show(latin));
    assert.ok(!latin.some((l) => /[가-힣]/.test(l.text)), show(latin));
    const hangul = await readText(ocrFixture, { languages: 'hangul' });
    assert.ok(hangul.every((l) => l.engine === 'tesseract'), show(hangul));
    assert.ok(hasLine(hangul, '라운드랩'), show(hangul));
  });

  test('unreadable input is a bad_request error', async () => {
    await assert.rejects(readText(Buffer.from('nope')), (e: Error & { code?: string }) => e.code === 'bad_request');
  });
});
