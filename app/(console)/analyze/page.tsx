import { ko } from '@/app/_i18n/ko';
import { AnalyzeForm } from './analyze-form';

export default function AnalyzePage() {
  return (
    <>
      <h1>{ko.analyze.title}</h1>
      <p className="muted">{ko.analyze.intro}</p>
      <AnalyzeForm />
    </>
  );
}
