// 行政区划: the GB/T 2260 division tree (public reference data), browsed level by level; the
// caller's own divisions are marked.
import { useEffect, useState } from 'react';
import { Tag, Tree, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { ProblemAlert } from '../../shell/data';
import { usePageTitle } from '../../shell/title';
import { TAG } from '../../shell/theme';

interface Node { key: string; title: React.ReactNode; isLeaf: boolean; children?: Node[] }
type Division = { code: string; name: string; level: string };

export default function Divisions() {
  const { t } = useI18n();
  usePageTitle('adm.divisions');
  const auth = useAuth();
  const [tree, setTree] = useState<Node[]>([]);
  const [error, setError] = useState<unknown>(null);
  const node = (d: Division): Node => ({
    key: d.code, isLeaf: d.level === 'village',
    title: <span>{d.name} <span style={{ color: '#555' }}>{d.code}</span> {t(`adm.level.${d.level as 'county'}`)}{auth.user?.scopes.includes(d.code) && <> <Tag color={TAG.info}>{t('adm.divisions.mine')}</Tag></>}</span>,
  });
  const children = async (parent?: string) => (await unwrap(api.GET('/api/divisions', { params: { query: parent ? { parent } : {} } }))).items.map(node);
  useEffect(() => {
    children().then(setTree, setError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const attach = (list: Node[], key: string, kids: Node[]): Node[] => list.map((n) => (n.key === key ? { ...n, children: kids, isLeaf: kids.length === 0 } : n.children ? { ...n, children: attach(n.children, key, kids) } : n));
  const load = async ({ key }: { key: React.Key }) => {
    try {
      const kids = await children(String(key));
      setTree((prev) => attach(prev, String(key), kids));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <Typography.Title level={1}>{t('adm.divisions')}</Typography.Title>
      <Typography.Paragraph>{t('adm.divisions.intro')}</Typography.Paragraph>
      <ProblemAlert error={error} />
      <Tree aria-label={t('adm.divisions')} treeData={tree} loadData={load} />
    </>
  );
}
