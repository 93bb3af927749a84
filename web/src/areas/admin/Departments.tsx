// 组织机构: the department tree of one division (the administrator's own by default) — create a
// department, rename / re-code / move one, add and remove posts, see and place its staff — and the
// bulk import (DeptImport). Field errors from the server appear at their fields.
import { useMemo, useState } from 'react';
import { Alert, App, Button, Empty, Form, Input, Popconfirm, Space, Tag, Tree, TreeSelect, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { errorMessage, showFieldErrors, type FieldProblem } from '../../api/problem';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad } from '../../shell/data';
import { useDraft } from '../../shell/draft';
import { usePageTitle } from '../../shell/title';
import { DivisionPicker } from './DivisionPicker';
import DeptImport from './DeptImport';
import StaffPlacement from './StaffPlacement';

export interface DeptNode { id: string; code: string; name: string; parentId: string | null; posts: Array<{ id: string; name: string }>; staffCount: number; children: unknown[] }
interface Edit { name: string; code: string; parentId: string }
interface Create { code: string; name: string }
const TOP = '__top__';
interface TreeItem { key: string; value: string; title: string; children: TreeItem[] }

const flatten = (nodes: DeptNode[]): DeptNode[] => nodes.flatMap((n) => [n, ...flatten(n.children as DeptNode[])]);
const descendants = (n: DeptNode): Set<string> => new Set([n.id, ...flatten(n.children as DeptNode[]).map((d) => d.id)]);

export default function Departments() {
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('adm.depts');
  const { message } = App.useApp();
  const auth = useAuth();
  const manage = auth.can('org:department.manage');
  const [division, setDivision] = useState<string>(auth.user?.scopes[0] ?? '530000');
  const tree = useLoad(() => unwrap(api.GET('/api/org/departments', { params: { query: { division } } })), [division]);
  const [selected, setSelected] = useState<string | null>(null);
  const [editForm] = Form.useForm<Edit>();
  const [createForm] = Form.useForm<Create>();
  const draft = useDraft('admin-new-department', createForm);
  const [postName, setPostName] = useState('');
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const roots = (tree.data?.items ?? []) as DeptNode[];
  const all = useMemo(() => flatten(roots), [roots]);
  const current = all.find((d) => d.id === selected) ?? null;
  const toTree = (ns: DeptNode[], skip?: Set<string>): TreeItem[] =>
    ns.filter((n) => !skip?.has(n.id)).map((n) => ({ key: n.id, value: n.id, title: `${n.name}（${n.code}）`, children: toTree(n.children as DeptNode[], skip) }));

  const select = (id: string | null) => {
    setSelected(id);
    setRest([]);
    setError(null);
    const d = all.find((x) => x.id === id);
    if (d) editForm.setFieldsValue({ name: d.name, code: d.code, parentId: d.parentId ?? TOP });
  };

  const attempt = async (form: typeof editForm | typeof createForm | null, fn: () => Promise<unknown>, done: string) => {
    setRest([]);
    setError(null);
    try {
      await fn();
      void message.success(done);
      tree.reload();
      return true;
    } catch (err) {
      if (form) setRest(showFieldErrors(form as never, err));
      else void message.error(errorMessage(err, i18n));
      setError(err);
      return false;
    }
  };

  const save = (v: Edit) => void attempt(editForm, () => unwrap(api.PATCH('/api/org/departments/{id}', {
    params: { path: { id: current!.id } }, body: { name: v.name, code: v.code, parentId: v.parentId === TOP ? null : v.parentId },
  })), t('common.saved'));

  const create = async (v: Create) => {
    const ok = await attempt(createForm, () => unwrap(api.POST('/api/org/departments', { body: { division, code: v.code, name: v.name, parentId: current?.id ?? null } })), t('adm.depts.created', { name: v.name }));
    if (ok) {
      draft.clear();
      createForm.resetFields();
    }
  };

  return (
    <>
      <Typography.Title level={1}>{t('adm.depts')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <label htmlFor="yl-dept-division">{t('common.division')}</label>
        <DivisionPicker id="yl-dept-division" value={division} onChange={(v) => { setDivision(v); select(null); }} />
      </Space>
      <ProblemAlert error={tree.error} onRetry={tree.reload} />
      <div className="yl-split" style={{ display: 'flex', flexWrap: 'wrap', gap: 24, alignItems: 'flex-start' }}>
        <section aria-labelledby="yl-dept-tree" style={{ flex: '1 1 280px', minWidth: 0 }}>
          <Typography.Title level={2} id="yl-dept-tree" style={{ fontSize: 18 }}>{t('adm.depts.tree')}</Typography.Title>
          {roots.length === 0 && !tree.loading ? <Empty description={t('adm.depts.empty')} /> : (
            <Tree aria-label={t('adm.depts.tree')} treeData={toTree(roots)} defaultExpandAll selectedKeys={selected ? [selected] : []}
              onSelect={(keys) => select((keys[0] as string | undefined) ?? null)} key={`${division}:${all.length}`} />
          )}
        </section>
        <section aria-labelledby="yl-dept-panel" style={{ flex: '2 1 360px', minWidth: 0 }}>
          <Typography.Title level={2} id="yl-dept-panel" style={{ fontSize: 18 }}>{current ? `${current.name}（${current.code}）` : t('adm.depts.none')}</Typography.Title>
          <ProblemAlert error={error} />
          {rest.length > 0 && <Alert type="error" showIcon title={rest.map((e) => `${e.pointer} ${e.message}`).join('；')} style={{ marginBottom: 16 }} />}
          {current && manage && (
            <Form form={editForm} layout="vertical" onFinish={save} style={{ maxWidth: 520 }}>
              <Form.Item name="name" label={t('adm.depts.name')} rules={[{ required: true }]}><Input /></Form.Item>
              <Form.Item name="code" label={t('adm.depts.code')} rules={[{ required: true }]}><Input /></Form.Item>
              <Form.Item name="parentId" label={t('adm.depts.parent')}>
                <TreeSelect treeDefaultExpandAll treeData={[{ key: TOP, value: TOP, title: t('adm.depts.topLevel'), children: [] }, ...toTree(roots, descendants(current))]} />
              </Form.Item>
              <Space wrap>
                <Button type="primary" htmlType="submit">{t('common.save')}</Button>
                <Popconfirm title={t('adm.depts.confirmDelete', { name: current.name })} okText={t('adm.depts.delete')} cancelText={t('common.cancel')}
                  onConfirm={() => void attempt(null, () => unwrap(api.DELETE('/api/org/departments/{id}', { params: { path: { id: current.id } } })), t('adm.depts.deleted')).then((ok) => ok && select(null))}>
                  <Button danger>{t('adm.depts.delete')}</Button>
                </Popconfirm>
              </Space>
            </Form>
          )}
          {current && (
            <>
              <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>{t('adm.depts.posts')}</Typography.Title>
              <Space wrap>
                {current.posts.length === 0 && <span>{t('common.none')}</span>}
                {current.posts.map((p) => (
                  <Tag key={p.id} closable={manage} closeIcon={manage ? <span aria-label={t('adm.depts.removePost', { name: p.name })}>×</span> : undefined}
                    onClose={(e) => { e.preventDefault(); void attempt(null, () => unwrap(api.DELETE('/api/org/departments/{id}/posts/{postId}', { params: { path: { id: current.id, postId: p.id } } })), t('adm.depts.postRemoved')); }}>
                    {p.name}
                  </Tag>
                ))}
              </Space>
              {manage && (
                <Space.Compact style={{ marginTop: 8, maxWidth: 360, width: '100%' }}>
                  <Input aria-label={t('adm.depts.newPost')} placeholder={t('adm.depts.newPost')} value={postName} onChange={(e) => setPostName(e.target.value)} />
                  <Button disabled={!postName.trim()} onClick={() => void attempt(null, () => unwrap(api.POST('/api/org/departments/{id}/posts', { params: { path: { id: current.id } }, body: { name: postName.trim() } })), t('adm.depts.postAdded')).then((ok) => ok && setPostName(''))}>
                    {t('adm.depts.addPost')}
                  </Button>
                </Space.Compact>
              )}
              <StaffPlacement department={current} division={division} onChanged={tree.reload} />
            </>
          )}
          {manage && (
            <section aria-labelledby="yl-dept-create" style={{ marginTop: 24 }}>
              <Typography.Title level={3} id="yl-dept-create" style={{ fontSize: 16 }}>{current ? t('adm.depts.createUnder', { name: current.name }) : t('adm.depts.createTop')}</Typography.Title>
              <Form form={createForm} layout="vertical" onFinish={(v) => void create(v)} onValuesChange={draft.onValuesChange} style={{ maxWidth: 520 }}>
                <Form.Item name="code" label={t('adm.depts.code')} rules={[{ required: true }]}><Input autoComplete="off" /></Form.Item>
                <Form.Item name="name" label={t('adm.depts.name')} rules={[{ required: true }]}><Input autoComplete="off" /></Form.Item>
                <Button htmlType="submit">{t('adm.depts.create')}</Button>
              </Form>
            </section>
          )}
        </section>
      </div>
      {manage && <DeptImport onImported={tree.reload} />}
    </>
  );
}
