import { Link } from 'react-router';
import { useT } from '../i18n';
import { usePageTitle } from './title';
import { Notice } from './Notice';

export function NotFound() {
  const t = useT();
  usePageTitle('error.pageNotFound');
  return <Notice tone="warning" title={t('error.pageNotFound')} extra={<Link to="/portal">{t('error.backHome')}</Link>} />;
}
