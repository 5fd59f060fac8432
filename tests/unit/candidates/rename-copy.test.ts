import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captionSummary, hookSentence, recommendedHashtags, recommendedTitles, type CopyInput } from '@/src/server/analysis/synthesis-copy';
import { renameInCopy, renameInHashtags, renameInText } from '@/src/server/candidates/rename-copy';

const input: CopyInput = {
  celebrityName: '제니',
  videoTitle: '제니의 아침 루틴',
  productName: '독도 토너',
  categoryPath: '뷰티 > 스킨케어 > 토너',
  features: ['자극이 없어요'],
  hookQuote: null,
  brandHangul: null,
};

test('a rename rewrites every mention of the old name, particles fitted to the new one', () => {
  const copy = {
    hook_sentence: hookSentence(input),
    summary_for_caption: captionSummary(input),
    recommended_titles: [...recommendedTitles(input), '독도 토너를 세 통째 쓰는 이유'],
    recommended_hashtags: recommendedHashtags(input),
  };
  const out = renameInCopy(copy, { oldName: '독도 토너', newName: '라운드랩 자작나무 수분 크림', categoryPath: input.categoryPath });
  assert.equal(out.hook_sentence, '제니가 영상에서 꺼낸 라운드랩 자작나무 수분 크림');
  assert.ok(out.summary_for_caption!.startsWith('제니가 영상 「제니의 아침 루틴」에서 소개한 라운드랩 자작나무 수분 크림.'));
  assert.deepEqual(out.recommended_titles, [
    '제니가 요즘 진짜 잘 쓰는 라운드랩 자작나무 수분 크림',
    '제니 토너 정체 공개',
    '제니 추천템, 라운드랩 자작나무 수분 크림',
    '라운드랩 자작나무 수분 크림을 세 통째 쓰는 이유',
  ]);
  assert.equal(out.recommended_hashtags![2], '#라운드랩자작나무수분크림');
  assert.ok(!out.recommended_hashtags!.includes('#독도토너'));
});

test('particles after the name, a new name containing the old one, unnamed products', () => {
  assert.equal(renameInText('독도 토너가 좋고 독도 토너로 닦아요. 독도 토너예요', ['독도 토너'], '수분 크림'), '수분 크림이 좋고 수분 크림으로 닦아요. 수분 크림이에요');
  assert.equal(renameInText('독도 토너 최고, 독도 토너이번에', ['독도 토너'], '라운드랩 독도 토너'), '라운드랩 독도 토너 최고, 라운드랩 독도 토너이번에');
  assert.equal(renameInText('라운드랩 독도 토너와 독도 토너', ['독도 토너'], '라운드랩 독도 토너'), '라운드랩 독도 토너와 라운드랩 독도 토너');
  const unnamed = renameInCopy(
    { hook_sentence: '제니가 영상에서 꺼낸 토너', recommended_hashtags: ['#제니', '#제니추천', '#토너', '#스킨케어'] },
    { oldName: '확인 필요', newName: '아누아 어성초 토너', categoryPath: '뷰티 > 스킨케어 > 토너' },
  );
  assert.equal(unnamed.hook_sentence, '제니가 영상에서 꺼낸 아누아 어성초 토너');
  assert.deepEqual(unnamed.recommended_hashtags, ['#제니', '#제니추천', '#아누아어성초토너', '#스킨케어']);
  assert.deepEqual(renameInHashtags(['#제니', '#연예인템'], ['추천 제품'], '헤라 쿠션'), ['#제니', '#연예인템', '#헤라쿠션']);
  assert.deepEqual(renameInCopy({ hook_sentence: 'x' }, { oldName: 'a', newName: 'a', categoryPath: null }), {});
});
