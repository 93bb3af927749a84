// 行政区划选择: a tree select over /api/divisions, rooted at the divisions the caller may act in
// (their scopes) and loading children on demand. The value is a GB/T 2260 code.
import { useEffect, useState } from 'react';
import { TreeSelect } from 'antd';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';

interface Node { id: string; pId?: string; value: string; title: string; isLeaf?: boolean }

const leaf = (level: string) => level === 'county' || level === 'township' || level === 'village';

export function DivisionPicker({ id, value, onChange, roots, ...aria }: { id?: string; value?: string; onChange?: (v: string) => void; roots?: string[]; 'aria-label'?: string }) {
  const auth = useAuth();
  const scopes = roots ?? auth.user?.scopes ?? [];
  const [nodes, setNodes] = useState<Node[]>([]);
  useEffect(() => {
    let live = true;
    void Promise.all(scopes.map((c) => unwrap(api.GET('/api/divisions/{code}', { params: { path: { code: c } } })).catch(() => null))).then((ds) => {
      if (!live) return;
      setNodes(ds.filter((d) => !!d).map((d) => ({ id: d.code, value: d.code, title: `${d.name} ${d.code}`, isLeaf: leaf(d.level) })));
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scopes.join(',')]);
  const load = async (node: { value?: string | number }) => {
    const code = String(node.value);
    if (nodes.some((n) => n.pId === code)) return;
    const r = await unwrap(api.GET('/api/divisions', { params: { query: { parent: code } } }));
    setNodes((prev) => [...prev, ...r.items.filter((d) => !prev.some((p) => p.id === d.code)).map((d) => ({ id: d.code, pId: code, value: d.code, title: `${d.name} ${d.code}`, isLeaf: leaf(d.level) }))]);
  };
  return (
    <TreeSelect
      id={id} aria-label={aria['aria-label']} value={value} onChange={(v) => onChange?.(v as string)} treeDataSimpleMode treeData={nodes} loadData={load}
      showSearch treeNodeFilterProp="title" style={{ minWidth: 220, maxWidth: '100%' }} popupMatchSelectWidth={false}
    />
  );
}
