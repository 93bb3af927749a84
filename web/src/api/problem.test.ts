// problem+json → messages and field errors.
import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage, kindOf, matchFieldErrors, pointerPath, toApiError } from './problem';
import { makeI18n } from '../i18n';

describe('problem+json in the web app', () => {
  it('turns JSON pointers into form name paths, without the request part', () => {
    expect(pointerPath('/body/name')).toEqual(['name']);
    expect(pointerPath('/redirectUris/0')).toEqual(['redirectUris', 0]);
    expect(pointerPath('/query/limit')).toEqual(['limit']);
    expect(pointerPath('/definition/states/2/id')).toEqual(['definition', 'states', 2, 'id']);
    expect(pointerPath('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
  });

  it('puts each field error on the deepest form field that contains it, and returns the rest', () => {
    const problem = {
      status: 400,
      errors: [
        { pointer: '/redirectUris/0', code: 'format', message: 'must be an absolute URL' },
        { pointer: '/body/name', code: 'minLength', message: 'too short' },
        { pointer: '/definition/states/1', code: 'required', message: 'name missing' },
        { pointer: '/definition/initial', code: 'unknown-state', message: 'unknown initial state' },
        { pointer: '/division', code: 'unknown', message: 'no such division' },
      ],
    };
    const { fields, rest } = matchFieldErrors(problem, [['name'], ['redirectUris'], ['definition']]);
    expect(fields).toEqual([
      { name: ['redirectUris'], errors: ['must be an absolute URL'] },
      { name: ['name'], errors: ['too short'] },
      { name: ['definition'], errors: ['name missing', 'unknown initial state'] },
    ]);
    expect(rest).toEqual([{ pointer: '/division', code: 'unknown', message: 'no such division' }]);
  });

  it('says what happened in the user\'s language', () => {
    const zh = makeI18n('zh-CN');
    const en = makeI18n('en');
    expect(errorMessage(new TypeError('Failed to fetch'), zh)).toContain('网络连接失败');
    expect(errorMessage(new ApiError(kindOf(401), 401), en)).toContain('session has expired');
    expect(errorMessage(new ApiError(kindOf(403), 403), zh)).toBe('您没有权限执行此操作。');
    expect(errorMessage(new ApiError(kindOf(404), 404), en)).toBe('We could not find what you asked for.');
    expect(errorMessage(new ApiError(kindOf(503), 503), zh)).toContain('服务暂时不可用');
    expect(errorMessage(new ApiError(kindOf(409), 409, { detail: '数据已被修改' }), zh)).toBe('操作没有成功：数据已被修改');
    expect(toApiError(new TypeError('x')).kind).toBe('network');
  });
});
