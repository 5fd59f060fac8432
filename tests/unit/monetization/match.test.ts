import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestMatch, matchScore, normalizeKeyword } from '@/src/server/monetization/match';
import { productPageUrl } from '@/src/server/integrations/coupang/client';

test('keywords are normalized for dedup', () => {
  assert.equal(normalizeKeyword('  라운드랩   독도  토너 '), normalizeKeyword('라운드랩 독도 토너'));
  assert.equal(normalizeKeyword('ROUND LAB Toner'), normalizeKeyword('round lab toner'));
});

test('the best match agrees on brand and product words; another brand never matches', () => {
  assert.ok(matchScore('라운드랩 독도 토너', '라운드랩 1025 독도 토너, 200ml, 1개') >= 0.9);
  assert.equal(matchScore('라운드랩 독도 토너', '토리든 다이브인 토너'), 0);
  assert.ok(matchScore('라운드랩 독도 토너', '삼성전자 갤럭시북4') < 0.5);
  const best = bestMatch('라운드랩 독도 토너', [
    { productId: '1', productName: '마녀공장 클렌징 오일', productUrl: 'u1' },
    { productId: '2', productName: '라운드랩 1025 독도 토너 200ml', productUrl: 'u2' },
  ]);
  assert.equal(best?.product.productId, '2');
  assert.equal(bestMatch('라운드랩 독도 토너', [{ productId: '1', productName: '노트북', productUrl: 'u' }]), null);
});

test('a search tracking URL becomes the product page the deeplink API accepts', () => {
  assert.equal(
    productPageUrl({ productId: '7654321012', productUrl: 'https://link.coupang.com/re/AFFSDP?lptag=AF1&pageKey=7654321012&itemId=2001&vendorItemId=8001&traceid=x' }),
    'https://www.coupang.com/vp/products/7654321012?itemId=2001&vendorItemId=8001',
  );
  assert.equal(productPageUrl({ productId: '5', productUrl: 'https://www.coupang.com/vp/products/5?itemId=1' }), 'https://www.coupang.com/vp/products/5?itemId=1');
});
