// Keeps what the user typed into a form in sessionStorage, so that signing in again after an
// expired session, a reload or a lost network never loses it. Cleared once the form is submitted.
import { useCallback, useEffect } from 'react';
import type { FormInstance } from 'antd';

const PREFIX = 'yl.draft.';

export function useDraft<T extends object>(key: string, form: FormInstance<T>): { onValuesChange(): void; clear(): void } {
  useEffect(() => {
    try {
      const saved = sessionStorage.getItem(PREFIX + key);
      if (saved) form.setFieldsValue(JSON.parse(saved) as Parameters<FormInstance<T>['setFieldsValue']>[0]);
    } catch {
      /* a broken draft is dropped */
    }
  }, [key, form]);
  const onValuesChange = useCallback(() => {
    try {
      sessionStorage.setItem(PREFIX + key, JSON.stringify(form.getFieldsValue(true)));
    } catch {
      /* storage full or disabled: the form still works */
    }
  }, [key, form]);
  const clear = useCallback(() => sessionStorage.removeItem(PREFIX + key), [key]);
  return { onValuesChange, clear };
}
