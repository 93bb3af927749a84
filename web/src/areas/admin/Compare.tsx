// Pick two versions of a definition and see what changed between them (VersionDiff). Versions are
// fetched when chosen; the older one goes on the left by default.
import { useEffect, useState } from 'react';
import { Form, Select, Space } from 'antd';
import { useI18n } from '../../i18n';
import { ProblemAlert } from '../../shell/data';
import { VersionDiff } from './VersionDiff';

export interface VersionRef { id: string; label: string }

export default function Compare({ versions, load }: { versions: VersionRef[]; load: (id: string) => Promise<unknown> }) {
  const { t } = useI18n();
  const [a, setA] = useState<string | undefined>(versions[1]?.id);
  const [b, setB] = useState<string | undefined>(versions[0]?.id);
  const [pair, setPair] = useState<{ before: unknown; after: unknown } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setA(versions[1]?.id);
    setB(versions[0]?.id);
  }, [versions]);
  useEffect(() => {
    let live = true;
    setPair(null);
    setError(null);
    if (!a || !b) return;
    Promise.all([load(a), load(b)]).then(([before, after]) => live && setPair({ before, after }), (err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [a, b]);
  if (versions.length < 2) return <p>{t('adm.diff.needTwo')}</p>;
  const options = versions.map((v) => ({ value: v.id, label: v.label }));
  const label = (id?: string) => versions.find((v) => v.id === id)?.label ?? '';
  return (
    <>
      <Space wrap>
        <Form.Item label={t('adm.diff.from')} htmlFor="yl-diff-a" style={{ marginBottom: 8 }}><Select id="yl-diff-a" value={a} onChange={setA} options={options} style={{ minWidth: 160 }} /></Form.Item>
        <Form.Item label={t('adm.diff.to')} htmlFor="yl-diff-b" style={{ marginBottom: 8 }}><Select id="yl-diff-b" value={b} onChange={setB} options={options} style={{ minWidth: 160 }} /></Form.Item>
      </Space>
      <ProblemAlert error={error} />
      {pair && <VersionDiff before={pair.before} after={pair.after} beforeLabel={label(a)} afterLabel={label(b)} />}
    </>
  );
}
