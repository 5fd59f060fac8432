import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aliasKey, BRANDS, findBrand, findBrandMentions, GAZETTEER_SOURCE } from '@/src/server/analysis/brand-gazetteer';
import { TOP_CATEGORIES } from '@/src/server/analysis/taxonomy';

test('the gazetteer holds at least 1,500 brands across every top-level category, with where it came from', () => {
  assert.ok(BRANDS.length >= 1500, `${BRANDS.length} brands`);
  assert.ok(GAZETTEER_SOURCE.length > 40, 'source stated');
  const perCategory = new Map<string, number>();
  for (const b of BRANDS) {
    assert.ok((TOP_CATEGORIES as readonly string[]).includes(b.category), `${b.id}: ${b.category}`);
    assert.ok(b.ko.length + b.en.length > 0, b.id);
    perCategory.set(b.category, (perCategory.get(b.category) ?? 0) + 1);
  }
  for (const c of TOP_CATEGORIES) assert.ok((perCategory.get(c) ?? 0) >= 10, `${c}: ${perCategory.get(c) ?? 0}`);
  const cosmetics = perCategory.get('뷰티') ?? 0;
  assert.ok(cosmetics / BRANDS.length < 0.3, 'most brands are not cosmetics');
  assert.equal(new Set(BRANDS.map((b) => b.id)).size, BRANDS.length, 'ids are unique');
});

test('no name belongs to two brands', () => {
  const owner = new Map<string, string>();
  for (const b of BRANDS)
    for (const n of [...b.ko, ...b.en, ...b.spoken]) {
      const k = aliasKey(n);
      const prev = owner.get(k);
      assert.ok(!prev || prev === b.id, `"${n}" is both ${prev} and ${b.id}`);
      owner.set(k, b.id);
    }
});

test('Hangul, Latin and spoken forms find the same brand, at a word start only', () => {
  assert.equal(findBrand('로지텍 마우스')?.id, findBrand('LOGITECH MX MASTER')?.id);
  assert.ok(findBrand('로지텍 마우스'));
  assert.equal(findBrand('소니 이어폰')?.id, findBrand('SONY WF-1000XM5')?.id);
  assert.equal(findBrand('테팔 인지니오 프라이팬이에요')?.id, findBrand('Tefal')?.id);
  assert.ok(findBrand('다이슨청소기'), 'a product noun may follow the brand inside one word');
  assert.equal(findBrandMentions('고삼성적이 올랐어요').length, 0, 'not inside another word');
});
