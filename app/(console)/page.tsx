import { ko } from '@/app/_i18n/ko';

export default function CandidatesPage() {
  return (
    <>
      <h1>{ko.candidates.title}</h1>
      <div className="empty">{ko.candidates.empty}</div>
    </>
  );
}
