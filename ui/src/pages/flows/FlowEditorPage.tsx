/** Placeholder until the page is built (issue 8). */
import { PageHeader } from '../../components/PageHeader';

export default function FlowEditorPage() {
  return (
    <div className="page">
      <PageHeader title="FlowEditorPage" />
    </div>
  );
}
