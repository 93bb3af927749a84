// 工作台 · 办件 (mounted at /workbench/cases/*): the staff list and search, 窗口收件 (counter entry),
// and the case page. The case page's id is the workflow case id (every inbox task carries it; the
// 办件 behind a case is found by its number) — see web/README.md.
import { Route, Routes } from 'react-router';
import CaseList from './CaseList';
import CaseDetailPage from './CaseDetail';
import CounterEntryPage from './CounterEntry';
import { NotFound } from '../../../shell/NotFound';
import './cases.css';

export default function CasesRoutes() {
  return (
    <Routes>
      <Route index element={<CaseList />} />
      <Route path="new" element={<CounterEntryPage />} />
      <Route path=":caseId" element={<CaseDetailPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
