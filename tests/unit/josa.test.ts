import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finalConsonant, josa, resolveParticles, withJosa } from '@/src/server/josa';

test('particles follow the final consonant as the word is read', () => {
  assert.equal(withJosa('제니', '이/가'), '제니가');
  assert.equal(withJosa('한소희', '이/가'), '한소희가');
  assert.equal(withJosa('김고은', '이/가'), '김고은이');
  assert.equal(withJosa('수분 크림', '을/를'), '수분 크림을');
  assert.equal(withJosa('독도 토너', '을/를'), '독도 토너를');
  assert.equal(withJosa('선크림', '으로/로'), '선크림으로');
  assert.equal(withJosa('젤', '으로/로'), '젤로');
  assert.equal(withJosa('토너', '으로/로'), '토너로');
  assert.equal(withJosa('아이폰 15', '이/가'), '아이폰 15가');
  assert.equal(withJosa('뉴발란스 530', '이/가'), '뉴발란스 530이');
  assert.equal(withJosa('에어팟 3', '은/는'), '에어팟 3은');
  assert.equal(withJosa('ROUND LAB', '이/가'), 'ROUND LAB이');
  assert.equal(withJosa('Dior toner', '이/가'), 'Dior toner가');
  assert.equal(withJosa('라운드랩 토너 (500ml)', '과/와'), '라운드랩 토너 (500ml)과');
  assert.equal(josa('', '이/가'), '가');
  assert.equal(finalConsonant('"쿠션"'), 4);
});

test('written-out alternatives are resolved by the word before them', () => {
  assert.equal(resolveParticles('제니이(가) 매일 쓰는 토너'), '제니가 매일 쓰는 토너');
  assert.equal(resolveParticles('김고은이(가) 쓰는 크림을(를) 소개'), '김고은이 쓰는 크림을 소개');
  assert.equal(resolveParticles('토너(을)를 발라요, 상태를 "승인됨"(으)로'), '토너를 발라요, 상태를 "승인됨"으로');
  assert.equal(resolveParticles('수지(이)랑 카리나와(과) 함께'), '수지랑 카리나와 함께');
  assert.equal(resolveParticles('괄호 (이)는 그대로'), '괄호 (이)는 그대로');
});
