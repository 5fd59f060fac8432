/**
 * Keyword → category path table for the common K-beauty, fashion, food and living categories (1–3 levels joined by
 * " > "). The longest matching keyword wins, so "토너패드" beats "토너" and "선크림" beats "크림".
 */
import { normalizeText } from './normalize-korean';

export const CATEGORY_KEYWORDS: readonly [keywords: string[], path: string][] = [
  [['토너패드', '토너 패드', '패드', 'toner pad'], '뷰티 > 스킨케어 > 토너패드'],
  [['토너', '스킨토너', 'toner'], '뷰티 > 스킨케어 > 토너'],
  [['세럼', '앰플', '에센스', 'serum', 'ampoule', 'essence'], '뷰티 > 스킨케어 > 에센스·세럼'],
  [['선크림', '선스틱', '선크림 스틱', '선 스틱', '마일드 업 선', '선블록', 'sunscreen', 'sun cream', 'sun stick'], '뷰티 > 선케어 > 선크림'],
  [['수분크림', '크림', 'cream'], '뷰티 > 스킨케어 > 크림'],
  [['바디로션', '바디 로션', '아토 로션', '바디워시'], '뷰티 > 바디케어 > 바디로션'],
  [['로션', 'lotion'], '뷰티 > 스킨케어 > 로션'],
  [['마스크팩', '시트마스크', '마스크 팩', '티트리 마스크'], '뷰티 > 스킨케어 > 마스크팩'],
  [['클렌징밤', '클렌징 밤', '클렌징오일', '클렌징 오일', '클렌징폼', '클렌징'], '뷰티 > 클렌징 > 클렌저'],
  [['립밤', 'lip balm'], '뷰티 > 스킨케어 > 립케어'],
  [['쿠션', '파운데이션', 'cushion', 'foundation'], '뷰티 > 메이크업 > 베이스메이크업'],
  [['틴트', '립스틱', '립 오일', '립오일', 'tint', 'lipstick'], '뷰티 > 메이크업 > 립메이크업'],
  [['섀도우', '아이섀도', '팔레트', '마스카라', 'shadow', 'palette'], '뷰티 > 메이크업 > 아이메이크업'],
  [['퍼프', '브러시', 'puff'], '뷰티 > 뷰티소품 > 퍼프·브러시'],
  [['향수', '오데썽', '블랑쉬', '오드퍼퓸', '오드뚜왈렛', 'perfume', 'eau de'], '뷰티 > 향수'],
  [['헤어 오일', '헤어오일', '헤어 에센스', 'hair oil'], '뷰티 > 헤어케어 > 헤어에센스·오일'],
  [['샴푸', 'shampoo'], '뷰티 > 헤어케어 > 샴푸'],
  [['고데기', '봉고데기', '드라이기'], '가전디지털 > 미용가전 > 헤어스타일러'],
  [['청소기', '비스포크 제트'], '가전디지털 > 생활가전 > 청소기'],
  [['에어프라이어'], '가전디지털 > 주방가전 > 에어프라이어'],
  [['디퓨저', '캔들', 'diffuser'], '홈인테리어 > 홈데코 > 디퓨저·캔들'],
  [['주걱', '뒤집개', '조리도구'], '주방용품 > 조리도구'],
  [['텀블러'], '주방용품 > 보온·보냉용품 > 텀블러'],
  [['운동화', '스니커즈', '뉴발란스 530', 'sneakers'], '패션잡화 > 신발 > 운동화'],
  [['숄더백'], '패션잡화 > 여성가방 > 숄더백'],
  [['가방', '에코백', '토트백', 'bag'], '패션잡화 > 가방'],
  [['니트', '스웨터', '가디건'], '패션의류 > 여성의류 > 니트'],
  [['그래놀라', '시리얼'], '식품 > 간편식 > 시리얼·그래놀라'],
  [['캠핑 의자', '캠핑의자', '체어원', '체어'], '스포츠·레저 > 캠핑 > 캠핑가구'],
];

/** Object-detection labels (COCO) that imply a category when nothing else does. */
export const DETECTION_CATEGORIES: Record<string, string> = {
  handbag: '패션잡화 > 가방',
  backpack: '패션잡화 > 가방',
  suitcase: '패션잡화 > 여행가방',
  chair: '홈인테리어 > 가구',
  laptop: '가전디지털 > 노트북',
  'cell phone': '가전디지털 > 휴대폰',
};

export function categoryFor(text: string): string | null {
  const t = normalizeText(text).toLowerCase();
  let best: { path: string; len: number } | null = null;
  for (const [keywords, path] of CATEGORY_KEYWORDS)
    for (const k of keywords)
      if (t.includes(k.toLowerCase()) && (!best || k.length > best.len)) best = { path, len: k.length };
  return best?.path ?? null;
}
