import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { findEpisodes, findRecommendationWindowsByRules, judgeEpisode } from '@/src/server/analysis/recommendation-episodes';
import { clauseCues, turnsToNewItem } from '@/src/server/analysis/recommendation-cues';
import type { TranscriptSegment } from '@/src/server/analysis/types';

const fixtureVlog: TranscriptSegment[] = [
  { start: 2, end: 7, text: '안녕하세요 여러분. 오늘은 제 아침 스킨케어 루틴을 보여드릴게요.' },
  { start: 21, end: 27, text: '제가 요즘 진짜 잘 쓰는 게 있는데 라운드랩 독도 토너예요.' },
  { start: 40, end: 44, text: '피부가 진짜 촉촉해져요. 강력 추천합니다.' },
];

const seg = (start: number, text: string, len = 5): TranscriptSegment => ({ start, end: start + len, text });
const overlaps = (w: { start: number; end: number }, a: number, b: number) => w.start < b && w.end > a;
const families = (text: string) => clauseCues(text).map((c) => c.family).filter((f) => f !== 'usage' && f !== 'feature');

test('fixture vlog: one window from the named product at 21 s through the praise at 40 s, none at 0–10 s; kept by the learned verdict', () => {
  const kept = findRecommendationWindowsByRules(fixtureVlog);
  assert.deepEqual(kept.map((w) => [w.start, w.end]), [[19, 44]]); // padding stops at the end of the talk
  assert.match(kept[0].reason, /추천 확률 \d+%/);
  assert.ok(kept[0].signals.includes('mention:named') && kept[0].signals.includes('recommend:강력추천'), kept[0].signals.join(','));
  // with a shorter pause allowed between the product and praise that goes on about it, the rules see two episodes
  const windows = findRecommendationWindowsByRules(fixtureVlog, { continueGapSec: 8 }, null);
  assert.equal(windows.length, 2);
  const [first, second] = windows;
  assert.ok(first.start >= 15 && first.start <= 21 && first.end >= 27 && first.end <= 32, JSON.stringify(first));
  assert.ok(second.start <= 40 && second.end >= 44 && second.end <= 50, JSON.stringify(second));
  assert.ok(!windows.some((w) => overlaps(w, 0, 10)));
  for (const w of [...windows, ...kept]) {
    assert.equal(w.method, 'rule');
    assert.ok(w.confidence > 0 && w.confidence <= 1);
    assert.match(w.reason, /추천 근거/);
  }
  assert.ok(first.signals.includes('mention:named'), 'the named product is part of the evidence');
  assert.ok(second.signals.includes('recommend:강력추천'), second.signals.join(','));
});

test('verb endings land on the same stem: 바삭하고, 편하고, 안 아프더라고요, 소개할 건', () => {
  assert.deepEqual(families('진짜 바삭하고'), ['praise']);
  assert.deepEqual(families('손잡이 잡기가 편하고요'), ['praise']);
  assert.deepEqual(families('오래 신어도 발이 안 아프더라고요'), ['praise']);
  assert.ok(families('오늘 소개할 건 제 최애 텀블러예요').includes('intro'));
});

test('negation is carried: praise turned down is a complaint, a complaint turned down is praise', () => {
  assert.deepEqual(families('솔직히 손이 잘 안 가요'), ['complaint']);
  assert.deepEqual(families('생각보다 좋진 않았어요'), ['complaint']);
  assert.deepEqual(families('추천은 안 해요'), ['complaint']);
  assert.deepEqual(families('별로 안 좋았어요'), ['complaint']);
  assert.deepEqual(families('하나도 불편하지 않아요'), ['praise']);
  assert.deepEqual(families('색깔별로 다 샀어요'), ['habit'], '"색깔별로" is not the complaint 별로');
});

test('spoken numbers and problem → solution count as evidence', () => {
  assert.deepEqual(families('코팅이 튼튼해서 이 년째 쓰고 있어요').sort(), ['habit', 'praise']);
  assert.deepEqual(families('예전엔 삼십 분 걸렸는데 이제 십 분이면 끝나요').sort(), ['praise', 'solution']);
  assert.deepEqual(families('이거 쓰고 나서 털 날리는 게 확 줄었어요').sort(), ['praise', 'solution']);
});

test('an episode runs from the product mention to the next product, through a 6–8 s pause', () => {
  const talk = [
    seg(0, '첫 번째는 테팔 인지니오 프라이팬이에요'),
    seg(5, '손잡이가 분리돼서 보관이 편해요'),
    seg(17, '코팅도 튼튼해서 이 년째 계란이 안 눌어붙어요'),
    seg(23, '두 번째는 브라운 멀티퀵 핸드블렌더예요'),
    seg(28, '가벼워서 손목에 무리가 안 가요'),
    seg(33, '이거 생기고 나서 아침마다 스무디 해 먹어요'),
  ];
  const windows = findRecommendationWindowsByRules(talk, { padBeforeSec: 0, padAfterSec: 0 });
  assert.equal(windows.length, 2, JSON.stringify(windows));
  assert.deepEqual([windows[0].start, windows[0].end], [0, 22]);
  assert.deepEqual([windows[1].start, windows[1].end], [23, 38]);
});

test('plain description without cue words keeps the episode open; the quiet tail is trimmed', () => {
  const talk = [
    seg(0, '물은 이 브리타 정수기 물병에 받아 둬요'),
    seg(5, '필터는 한 달에 한 번 갈아 끼우고'),
    seg(10, '냉장고 문 쪽에 딱 들어가는 크기예요'),
    seg(15, '수돗물 냄새가 하나도 안 나요'),
    seg(20, '저는 이거 세 번째 사는 거예요'),
    seg(25, '창밖에 비가 오네요'),
    seg(30, '우산을 챙겨야겠어요'),
  ];
  const windows = findRecommendationWindowsByRules(talk, { padBeforeSec: 0, padAfterSec: 0 });
  assert.equal(windows.length, 1, JSON.stringify(windows));
  assert.deepEqual([windows[0].start, windows[0].end], [0, 25]);
});

test('a turn to another item without a numbered frame starts a new episode', () => {
  assert.ok(turnsToNewItem('그리고 햇반'));
  assert.ok(turnsToNewItem('아 그리고 장갑 이거 물어보시는 분들 많던데'));
  assert.ok(turnsToNewItem('간식은 이거'));
  assert.ok(turnsToNewItem('모래는 에버크린 쓰는데요'));
  assert.ok(!turnsToNewItem('그리고 배터리는 이틀 가요'), 'a part of the same product');
  assert.ok(!turnsToNewItem('그리고 손목도 안 아파요'), '…도 adds to the same product');
  assert.ok(!turnsToNewItem('그리고 저는 이거 매일 써요'));
  const talk = [
    seg(0, '가방에는 항상 이 텀블러를 넣어 다녀요'),
    seg(5, '얼음이 저녁까지 안 녹아서 너무 좋아요'),
    seg(10, '그리고 립밤'),
    seg(14, '버츠비 건데 입술이 하나도 안 트고 촉촉해요'),
    seg(19, '이것도 벌써 네 개째 쓰고 있어요'),
  ];
  const windows = findRecommendationWindowsByRules(talk, { padBeforeSec: 0, padAfterSec: 0 }, null);
  assert.deepEqual(windows.map((w) => [w.start, w.end]), [[0, 10], [10, 24]]);
});

test('a named product after complaints about an old one is the new product\'s episode', () => {
  const talk = [
    seg(0, '원래 쓰던 드라이기가 너무 시끄러워서'),
    seg(5, '이번에 다이슨 슈퍼소닉으로 바꿨어요'),
    seg(10, '머리가 금방 마르고 소리도 조용해요'),
    seg(15, '머릿결이 확실히 좋아졌어요'),
  ];
  const windows = findRecommendationWindowsByRules(talk, { padBeforeSec: 0, padAfterSec: 0 });
  assert.equal(windows.length, 1, JSON.stringify(windows));
  assert.equal(windows[0].start, 5);
});

test('repurchase counts, "일 년" is a year, and problems that did not happen are praise either way round', () => {
  assert.ok(families('이거 세 번째 사는 거예요').includes('habit'));
  assert.ok(families('일 년 넘게 쓰고 있는데').includes('habit'));
  assert.ok(families('가방 안에서 마르지도 않고요').includes('praise'));
  assert.ok(families('물티슈가 안 말라요').includes('praise'));
  assert.ok(families('숟가락 끝이 딱딱하지 않아요').includes('praise'));
  assert.ok(families('숟가락이 너무 딱딱해요').includes('complaint'));
  assert.ok(families('심이 잘 안 부러지고').includes('praise'), 'rarely breaks');
  assert.ok(!families('머리가 잘 안 말라요').includes('praise'), 'does not dry well');
  assert.deepEqual(families('지퍼 고장 나면 평생 수리해 준다고'), [], 'a condition, not a complaint');
  assert.deepEqual(families('밥 하기 귀찮을 때 이거 먹어요'), [], 'the situation the product is for');
  assert.deepEqual(families('첫 번째 책은 불편한 편의점이에요'), [], 'a complaint word inside a title');
  assert.ok(families('1번도 고장 난 적이 없어요').includes('praise'));
  assert.ok(families('이건 아직 안 신어봐서 뭐라 말은 못 하겠어요').includes('complaint'), 'not tried yet');
  assert.ok(families('동생은 좋다고 하는데 너무 비싸서 고민 중이에요').includes('complaint'), 'only wanted');
});

test('another person\'s product or a scripted pitch is not a window', () => {
  const others = [seg(0, '아 이 빨간 거는 정관장 홍삼인데 이건 엄마 거예요'), seg(5, '엄마가 여기 두고 가셨어요 저는 안 먹어요')];
  assert.deepEqual(findRecommendationWindowsByRules(others), []);
  const pitch = [seg(0, '센트룸 우먼은 비타민과 미네랄을 한 알에 담은 멀티비타민으로'), seg(5, '지금 고정 댓글 링크로 구매하시면 특별 할인 혜택을 받으실 수 있어요')];
  assert.deepEqual(findRecommendationWindowsByRules(pitch), []);
});

test('someone else\'s product opens no episode and ends the one before; an old product left behind counts against it', () => {
  const friend = [seg(0, '제 친구는 드롱기 반자동 쓰는데 걔는 그거 완전 좋아하더라고요'), seg(5, '저는 그런 거 할 자신이 없어서 패스')];
  assert.deepEqual(findRecommendationWindowsByRules(friend), []);
  const then = [
    seg(0, '그리고 자기 전에 먹는 게 마그네슘 닥터스베스트 거'),
    seg(5, '눈 밑이 계속 떨려서 먹기 시작했는데 진짜 신기하게 없어졌어요'),
    seg(10, '이건 계속 먹을 거예요'),
    seg(15, '저희 엄마는 홍삼을 드시는데 그건 엄마 거라 저는 잘 모르겠고요'),
  ];
  const [w] = findRecommendationWindowsByRules(then);
  assert.ok(w && w.end <= 18, JSON.stringify(w));
  const old = [seg(0, '원래는 로얄캐닌 먹였었는데 그게 문제였다는 건 아니고요'), seg(5, '병원에서 알러지 검사를 했는데 닭고기 쪽이 좀 있다 그러더라고요')];
  assert.deepEqual(findRecommendationWindowsByRules(old), []);
  assert.ok(families('걔는 또 그게 좋대요').includes('complaint'));
  assert.ok(families('이건 남편 거예요').includes('complaint'));
});

test('complaints told before the switch are about the old state, not the product switched to', () => {
  const chair = [
    seg(0, '시디즈 티오십이에요'),
    seg(5, '제가 원래 듀오백 썼었는데 저는 그게 오히려 허리에 안 맞았어요'),
    seg(10, '근데 이걸로 바꾸고 나서 진짜 허리 아픈 게 거의 없어졌어요'),
    seg(15, '요추 받침 높이를 제 허리에 딱 맞게 조절할 수 있어서'),
  ];
  assert.equal(findRecommendationWindowsByRules(chair).length, 1);
});

test('a topic announced ("책도 몇 권 얘기하자면"), a kind as the topic ("오메가3는") or "반대로 별로였던" starts a new episode', () => {
  const eps = findEpisodes([
    seg(0, '그리고 이거 고려은단 비타민C 천'),
    seg(5, '저는 이거 먹으면서 환절기에 감기를 거의 안 걸리는 것 같아요'),
    seg(10, '오메가3는 아직 안 먹는데 요즘 눈이 너무 피곤해서'),
  ]);
  assert.equal(eps[0].lines.length, 2);
  assert.ok(families('감기를 거의 안 걸리는 것 같아요').includes('praise'));
  const books = findEpisodes([seg(0, '맥포머스는 자석이 세서 혼자서 한 시간씩 조용히 놀아요'), seg(5, '책도 몇 권 얘기하자면'), seg(10, '구름빵은 진짜 백 번은 읽어준 것 같아요')]);
  assert.equal(books.length, 2);
  const worse = findEpisodes([seg(0, '세 번째 세이노의 가르침 무조건 읽어보셨으면 좋겠어요'), seg(5, '반대로 좀 별로였던 책은 역행자')]);
  assert.equal(worse[0].lines.length, 1);
});

test('talk that comes back after an aside or with "다시 … 얘기하면" is the same recommendation, not a second window', () => {
  const riceCooker = [
    seg(0, '쿠쿠 트윈프레셔 그 IH 압력밥솥이에요'),
    seg(5, '저는 한 번에 해서 소분해서 얼려 놓거든요 그래서 이게 딱 맞아요'),
    seg(10, '이게 뭐가 좋냐면 압력을 두 가지로 고를 수가 있어요'),
    seg(15, '아 그리고 엄마 집에 있는 밥솥이 쿠첸 거인데'),
    seg(20, '그거 한 십 년 된 거라서 비교하기는 좀 미안하긴 한데'),
    seg(25, '엄마 밥솥은 보온 하루만 지나도 밥이 노래지거든요'),
    seg(30, '근데 이건 보온 이틀 해도 거의 그대로예요 이게 진짜 신기했어요'),
    seg(35, '세척도 뚜껑 안쪽 커버가 쏙 빠져서 편해요'),
  ];
  const [one, ...rest] = findRecommendationWindowsByRules(riceCooker);
  assert.deepEqual(rest, [], 'one window');
  assert.ok(one.start <= 0 && one.end >= 40, JSON.stringify(one));
  const pen = [
    seg(0, '첫 번째 이거 라미 사파리 만년필'),
    seg(5, '입문하시는 분들한테 저는 무조건 이거 추천해요'),
    seg(10, '가격도 삼만 원대라 부담이 없고요'),
    seg(15, '친구는 파이롯트 쓰는데 걔는 그게 낫대요'),
    seg(20, '다시 사파리 얘기하면 이거 떨어뜨려도 안 깨져요 진짜 튼튼해서'),
    seg(25, '저 이거 한 사 년째 쓰는데 닙 한 번도 안 바꿨어요'),
  ];
  assert.equal(findRecommendationWindowsByRules(pen).length, 1);
  // unnamed praise right after a product, with no aside and no return, can be the next product: it stays its own window
  const next = [seg(0, '첫 번째 갤럭시 탭 에스나인 이걸로 필기를 다 해요 진짜 편해요'), seg(5, '화면이 진짜 선명해요'), seg(12, '그리고 얘 이어폰'), seg(17, '노캔이 진짜 좋아요 도서관에서 끼면 완전 조용해요')];
  assert.equal(findRecommendationWindowsByRules(next).length, 2);
});

test('someone else\'s or a place\'s thing, gifts passed on and the day\'s unboxing are not the speaker\'s recommendation', () => {
  for (const line of ['엄마는 스팀 걸레 쓰시던데', '엄마 집에 있는 밥솥이 쿠첸 거인데', '동생이 잘 쓰고 있겠죠', '회사 옆자리 분은 레이저 게이밍 마우스 쓰시는데', '언니가 뿌리는 거 제가 몰래 뿌린 거예요', '에어는 동생 줄 거예요', '방에 블루투스 스피커가 있었는데 소리가 너무 좋더라'])
    assert.ok(clauseCues(line).some((c) => c.label === '본인 것 아님'), line);
  for (const line of ['아직 전원 안 켜봤어요', '아직 하나도 안 뜯었어요', '방금 택배 받아서 바로 켰어요', '한 번 써보고 싶긴 해요', '일단 장바구니에만 넣어놨습니다'])
    assert.ok(families(line).includes('complaint'), line);
  const unboxing = [seg(0, '아이패드 프로 십삼 인치 스페이스 블랙이에요'), seg(5, '방금 택배 받아서 아직 아무것도 안 해봤어요'), seg(10, '와 생각보다 가벼워요 비닐 뜯는 소리 너무 좋아')];
  assert.deepEqual(findRecommendationWindowsByRules(unboxing), []);
});

test('praise in a condition or a question, liking an activity and a plan are no evidence', () => {
  assert.deepEqual(families('먹어보고 좋으면 다음에 말씀드릴게요'), []);
  assert.deepEqual(families('이게 진짜 좋은지는 아직 모르겠어요'), []);
  assert.deepEqual(families('계획 세우는 거 좋아하고'), []);
  assert.deepEqual(families('스무디 매일 해 먹으려고 샀어요'), []);
  assert.deepEqual(families('일 년 동안 고민하다가 결국 질렀어요'), []);
  assert.ok(families('이거 일 년 동안 매일 썼어요').includes('habit'));
});

test('a failed buy, a loud or hurting product and "문제는" count against it; fillers do not hide a new item', () => {
  for (const line of ['새끼발가락이 너무 아파서 결국 당근에 팔았어요', '소리가 진짜 말도 안 되게 커요', '칼날 쪽에서 이상한 냄새가 나요', '근데 문제는 배터리예요'])
    assert.ok(families(line).includes('complaint'), line);
  const eps = findEpisodes([seg(0, '미도리 엠디노트 이 종이가 진짜 사기예요 만년필로 써도 안 비쳐요'), seg(5, '저는 이걸로 매일 일기 쓰는데 벌써 열두 권째예요'), seg(10, '음 그리고 이건 약간 솔직 후기인데'), seg(15, '요즘 유행하는 젤펜은 잉크가 너무 빨리 닳아서 별로였어요 비추')]);
  assert.equal(eps[0].lines.length, 2);
  assert.equal(findEpisodes([seg(0, '코베아 버너 진짜 편해요 바람 불어도 불이 잘 안 꺼져요'), seg(5, '그리고 실패템 하나 말씀드리면'), seg(10, '인터넷에서 산 자충 매트는 두 번 쓰고 바람 새서 버렸어요')])[0].lines.length, 1);
});

test('outings, meals, borrowed and company-issued things, and per-item "별로" are no recommendation', () => {
  // a bookstore or café visit, and a meal praised only for its taste
  assert.deepEqual(findRecommendationWindowsByRules([seg(0, '지난주에 광화문 교보문고 갔었는데'), seg(5, '거기 향 있잖아요 그거 맡으니까 기분이 좋아지더라고요')]), []);
  assert.deepEqual(findRecommendationWindowsByRules([seg(0, '음 소금빵 겉이 바삭한데 안에 버터가 쫙 배어 있어서 맛있다'), seg(5, '크림도 진짜 고소하고 달달해요')]), []);
  for (const line of ['이건 해피해킹인데 친구가 써보라고 잠깐 빌려준 거예요', '회사에서 지급해 준 엘지 모니터예요', '친구가 자기 발뮤다 전기포트는 잘 쓴다고 하던데', '맞는 분들은 좋다고 하시더라고요', '실물로 처음 봤어요'])
    assert.ok(clauseCues(line).some((c) => c.label === '본인 것 아님'), line);
  // "번호별로" is "by number", not the complaint 별로; "안 버렸네요" is no praise; "조용히 내려놨어요" is no praise either
  assert.deepEqual(families('봉지가 번호별로 나눠져 있어서'), []);
  assert.deepEqual(families('아직도 안 버렸네요'), []);
  assert.deepEqual(families('가격 듣고 조용히 내려놨어요'), []);
  assert.ok(families('혼자서 한 시간씩 조용히 놀아요').includes('praise'));
  for (const line of ['그게 센서가 흔들흔들해요', '방 전체를 시원하게 하기엔 역부족이었고', '결국 펌프형으로 돌아갔어요', '올해 초까지 구독했는데 해지했어요'])
    assert.ok(families(line).includes('complaint'), line);
  assert.deepEqual(families('친구야 미안 내년에 꼭 읽을게'), []);
  assert.deepEqual(families('위생적일 것 같아서 샀는데'), []);
  assert.ok(families('몇 번 더 사 먹었어요').includes('habit'));
});

test('a video announcement or a sponsor notice with a brand opens no window on its own', () => {
  assert.deepEqual(findRecommendationWindowsByRules([seg(0, '오늘은 퇴근하고 레고 조립하면서 수다 떠는 영상이에요'), seg(5, '요즘 회사 일이 너무 많아서 머리가 복잡했거든요')]), []);
  assert.deepEqual(findRecommendationWindowsByRules([seg(0, '이 영상은 로보락에서 제품을 제공받아서 만든 유료광고예요'), seg(5, '대신 한 달 동안 진짜 써보고 솔직하게 말씀드리기로 했어요'), seg(10, '저희 집에 고양이가 두 마리 있잖아요')]), []);
});

test('a first impression that did not last, a part the product has, things others brought, and a turn announced by a switch', () => {
  assert.deepEqual(families('처음 3일은 좋았어요 솔직히'), []);
  assert.equal(turnsToNewItem('그리고 카메라가 있어서 그런지 장애물을 잘 피하더라고요'), false);
  assert.equal(turnsToNewItem('그리고 모니터가 떠 있는 거 보이시죠'), true);
  for (const line of ['수진이가 카메라 들고 왔는데', '사라사 많이들 좋아하시잖아요'])
    assert.ok(clauseCues(line).some((c) => c.label === '본인 것 아님'), line);
  for (const line of ['이건 솔직히 재구매 안 할 것 같아요', '근데 문제가 저희 집 거실 러그', '필통 자체는 별 기능 없어요', '그래서 예쁜데 저는 못 써요'])
    assert.ok(families(line).includes('complaint'), line);
  assert.ok(families('언젠가 꼭 갖고 싶은 펜이 있어요').includes('complaint'), 'a wish before a noun stays a wish');
  assert.deepEqual(families('건성이신 분들은 좋을 수도 있어요').filter((f) => f === 'praise'), []);
  assert.ok(clauseCues('예전에 에코백스 디봇 싼 모델을 하나 썼었어요').some((c) => c.label === '예전 제품'));
  const switched = findEpisodes([seg(0, '에코백스는 맨날 의자 밑에 끼어서 안 맞았어요'), seg(5, '그러고 나서 작년에 바꾼 게 지금 보여드릴 이거예요'), seg(10, '로보락 에스에잇 이거 쓰고 나서 바닥이 달라졌어요')]);
  assert.equal(switched.at(-1)!.lines[0].text.includes('바꾼 게'), true, 'the switch line leads into the new product');
});

test('talk that goes on about the named product is one window; a kind said as the next item is another', () => {
  const vacuum = [
    seg(0, '지금 쓰고 있는 게 이거 로보락 S8 맥스브이 울트라예요'),
    seg(5, '물걸레 세척이랑 건조를 스테이션에서 알아서 해요 진짜 편해요'),
    seg(10, '흡입력도 확실히 좋아서 카펫도 잘 빨아들여요'),
    seg(16, '그리고 카메라로 장애물을 인식해서 양말 같은 거 다 피해 가요'),
    seg(21, '앱에서 방마다 물 양 정할 수 있는 것도 편하고요'),
  ];
  assert.equal(findRecommendationWindowsByRules(vacuum).length, 1);
  // "그다음에" with an action is the next step of using it, not the next item
  const machine = [
    seg(0, '그래서 산 게 이거예요 브레빌 바리스타 익스프레스'),
    seg(5, '그라인더가 같이 들어 있어서 입문용으로 진짜 좋아요'),
    seg(10, '그다음에 탬핑하고 이렇게 끼우고 추출 버튼'),
    seg(15, '크레마 올라오는 거 보세요 이 순간이 제일 행복해요'),
    seg(20, '이 년 동안 매일 두 잔씩 뽑았는데 고장 한 번 없었어요'),
  ];
  assert.equal(findRecommendationWindowsByRules(machine).length, 1);
});

test('trust lost, a recommendation declined, a habit dropped, a refusal, a sudden breakdown and a first buy left are not praise', () => {
  for (const line of ['솔직히 제품에 대한 신뢰가 완전히 없어졌어요', '이 제품은 다른 분들한테 권하기가 좀 어려울 것 같아요', '와이프 허락이 안 떨어져서 아직이에요', '근데 갑자기 냉동실 온도가 안 떨어지는 거예요'])
    assert.ok(families(line).includes('complaint') && !families(line).includes('praise') && !families(line).includes('recommend'), `${line}: ${families(line)}`);
  assert.ok(!families('요즘은 거의 안 들고 다녀요').includes('habit'));
  assert.ok(families('요즘은 매일 들고 다녀요').includes('habit'));
  assert.ok(clauseCues('처음에 산 건 나이키 인빈시블 쓰리였어요').some((c) => c.label === '예전 제품'));
  assert.ok(clauseCues('처음에는 네스프레소 버츄오로 시작했어요').some((c) => c.label === '예전 제품'));
  assert.ok(clauseCues('댓글 보니까 잘 쓰시는 분들도 많더라고요').some((c) => c.label === '본인 것 아님'));
});

test('each clause counts: one product praised three ways outweighs one praised once', () => {
  const [once] = findEpisodes([seg(0, '이 텀블러 예뻐요')]);
  const [thrice] = findEpisodes([seg(0, '이 텀블러 예뻐요'), seg(5, '가볍고 튼튼해요'), seg(10, '얼음이 하루 종일 안 녹아요')]);
  assert.ok(judgeEpisode(thrice).evidence > judgeEpisode(once).evidence + 1);
  assert.ok(judgeEpisode(thrice).recommended);
  assert.ok(!judgeEpisode(once).recommended);
});

test('a greeting that announces the video, an outro and a call to comment are not windows', () => {
  assert.deepEqual(findRecommendationWindowsByRules([seg(0, '안녕하세요 여러분 오늘은 제 저녁 루틴을 보여드릴게요.'), seg(6, '퇴근하고 집에 오면 일단 씻어요.')]), []);
  assert.deepEqual(findRecommendationWindowsByRules([seg(0, '여러분 최애 과자도 댓글로 알려주세요'), seg(5, '구독 좋아요 부탁드려요 진짜 최고예요')]), []);
});

test('negative reviews and complaints are not windows', () => {
  const segments = [seg(0, '이 앰플은 좀 별로였어요.'), seg(6, '그래서 저는 솔직히 추천 안 해요.'), seg(12, '커버력은 괜찮은데 재구매 의사는 없어요.'), seg(18, '이건 진짜 비추예요.')];
  assert.deepEqual(findRecommendationWindowsByRules(segments), []);
  assert.deepEqual(findRecommendationWindowsByRules([seg(0, '저번에 산 채칼은 그냥 그랬어요'), seg(5, '솔직히 손이 잘 안 가요')]), []);
});

test('"진짜" alone, food chatter and praise of places do not make windows', () => {
  const jinjja = ['진짜 오랜만이에요.', '진짜 정신이 없었어요.', '아 진짜 허리 아프다.', '진짜 진짜 힘든 하루였다.'].map((t, i) => seg(i * 6, t));
  assert.deepEqual(findRecommendationWindowsByRules(jinjja), []);
  assert.deepEqual(findRecommendationWindowsByRules([seg(0, '여기 산책로가 넓어서 진짜 좋아요. 강력 추천해요.')]), []);
  assert.deepEqual(findRecommendationWindowsByRules([seg(0, '오늘 날씨 진짜 좋네요.')]), []);
});

test('spacing variants and NFD input are normalized', () => {
  const spaced = findRecommendationWindowsByRules([seg(0, '제가 원래 잘 쓰는 마스크팩이에요.'), seg(5, '꼭 써보세요.')], {}, null);
  const tight = findRecommendationWindowsByRules([seg(0, '제가 원래 잘쓰는 마스크팩이에요.'), seg(5, '꼭써보세요.')], {}, null);
  assert.equal(spaced.length, 1);
  assert.deepEqual(tight.map((w) => w.signals), spaced.map((w) => w.signals));
  assert.equal(findRecommendationWindowsByRules([seg(0, '이거 강력 추천합니다. 인생템이에요.'.normalize('NFD'))], {}, null).length, 1);
});

test('windows are padded, clamped, disjoint, at least 5 s and at most 60 s; options are respected', () => {
  const short = findRecommendationWindowsByRules([seg(0, '인트로', 1), seg(1, '이거 강력 추천해요. 인생템이에요.', 1), seg(30, '끝', 1)], {}, null);
  assert.equal(short.length, 1);
  assert.equal(short[0].start, 0);
  assert.ok(short[0].end - short[0].start >= 5);
  const long = Array.from({ length: 30 }, (_, i) => seg(i * 4, i % 2 ? '향이 진짜 좋아요.' : '매일 써요. 재구매했어요.', 4));
  for (const w of findRecommendationWindowsByRules(long, {}, null)) assert.ok(w.end - w.start <= 60, JSON.stringify(w));
  const w = findRecommendationWindowsByRules(fixtureVlog, { padBeforeSec: 0, padAfterSec: 0, minDurationSec: 1, continueGapSec: 8 }, null);
  assert.deepEqual([w[0].start, w[0].end], [21, 27]);
});

test('every labelled fixture parses and has a valid shape, in the tuning, blind and not-yet-measured sets', () => {
  // the blind folder is empty between a set joining the tuning set and the next one being measured; blind-next holds a
  // set written blind and not yet measured
  for (const [folder, min] of [['transcripts', 40], ['transcripts-blind', 0], ['blind-next', 0]] as const) {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures', folder);
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
    assert.ok(files.length >= min, `${folder}: ${files.length} files`);
    for (const f of files) {
      const fx = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      const last = fx.segments.at(-1).end;
      assert.ok(last >= 30 && last <= 400, f);
      assert.ok(Array.isArray(fx.labels.windows), f);
      for (const w of fx.labels.windows) assert.ok(w.start < w.end && w.end <= last + 0.01, `${f}: ${w.start}-${w.end}`);
    }
  }
});
