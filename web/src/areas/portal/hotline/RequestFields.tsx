// The fields a resident fills in for a request (new request, or a request from the chat): demand
// type, category (type to search), where, and whether to stay anonymous to the handling unit.
import { Checkbox, Form, Input, Radio, Select } from 'antd';
import { useMemo } from 'react';
import { useI18n } from '../../../i18n';
import { useLoad } from '../../../shell/data';
import { DivisionSelect } from '../../../shared/forms/widgets';
import { hl } from '../../workbench/hotline/api';

export const DEMAND_TYPES = ['咨询', '求助', '投诉', '举报', '意见建议', '表扬'];

export interface RequestValues {
  demandType: string;
  categoryCode?: string;
  division?: string;
  address?: string;
  content?: string;
  anonymous?: boolean;
}

export function RequestFields({ withContent, idPrefix }: { withContent: boolean; idPrefix: string }) {
  const { t } = useI18n();
  const cats = useLoad(() => hl.categories(), []);
  const leaves = useMemo(() => (cats.data ?? []).filter((c) => c.leaf).map((c) => ({ value: c.code, label: c.path })), [cats.data]);
  return (
    <>
      <Form.Item name="demandType" label={t('hl.field.demandType')} required htmlFor={`${idPrefix}-type`}>
        <Radio.Group id={`${idPrefix}-type`} options={DEMAND_TYPES.map((d) => ({ value: d, label: d }))} />
      </Form.Item>
      <Form.Item name="categoryCode" label={t('hl.field.category')} required extra={t('hl.field.categoryHint')} htmlFor={`${idPrefix}-category`}>
        <Select id={`${idPrefix}-category`} showSearch optionFilterProp="label" options={leaves} loading={cats.loading} placeholder={t('hl.field.categoryPlaceholder')} />
      </Form.Item>
      <Form.Item name={['location', 'division']} label={t('hl.field.where')} required htmlFor={`${idPrefix}-division`}>
        <DivisionSelect id={`${idPrefix}-division`} within="530000" levels={['county']} />
      </Form.Item>
      <Form.Item name={['location', 'address']} label={t('hl.field.address')} htmlFor={`${idPrefix}-address`}><Input id={`${idPrefix}-address`} maxLength={200} /></Form.Item>
      {withContent && (
        <Form.Item name="content" label={t('hl.field.content')} required htmlFor={`${idPrefix}-content`}>
          <Input.TextArea id={`${idPrefix}-content`} rows={5} maxLength={4000} showCount />
        </Form.Item>
      )}
      <Form.Item name={['caller', 'anonymous']} valuePropName="checked" extra={t('hl.field.anonymousHint')} htmlFor={`${idPrefix}-anonymous`}>
        <Checkbox id={`${idPrefix}-anonymous`}>{t('hl.field.anonymous')}</Checkbox>
      </Form.Item>
    </>
  );
}
