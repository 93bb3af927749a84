// Mount point (placeholder until its pages land): the routes under /portal/hotline.
import { Route, Routes } from 'react-router';
import { useT } from '../../../i18n';
import { Notice } from '../../../shell/Notice';

export default function Routes_() {
  const t = useT();
  return (
    <Routes>
      <Route path="*" element={<Notice tone="info" title={t('hl.title')} />} />
    </Routes>
  );
}
