// Checking a form definition before it is stored: every problem at once (DEFINITION_INVALID),
// then the normalised schema that is stored and served — kinds expanded into plain JSON Schema,
// `additionalProperties: false` on every object of fields that does not say otherwise, the
// 2020-12 dialect named. Normalising is idempotent, so a served definition can be sent back.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { AppError } from '../../core/http/errors.js';
import { validateDivisionCode } from '../../core/validators/index.js';
import { ANNOTATIONS, formsAjv, SCHEMA_DIALECT } from './compile.js';
import { clone, collectFields, deepEqual, escapeSegment, isObject, PROPERTY_NAME, walkSchema } from './fields.js';
import { isKind, KIND_NAMES, KINDS } from './kinds.js';
import { prefillPrefixes, prefillProblem } from './prefill.js';
import { checkCondition, type ConditionProblem } from './visibility.js';
import type { FieldError, FieldInfo, JsonSchema, Lang, LocalizedText, UiSchema } from './types.js';

export const FORM_KEY = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const RESERVED_KEYS = new Set(['merge']);
export const X_FIELD = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

export interface FormDefinition {
  key: string;
  division: string;
  title: LocalizedText;
  schema: JsonSchema;
  uiSchema: UiSchema;
}

type Problem = { pointer: string; code: string; message: LocalizedText };
const m = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

// The kinds' option schemas, compiled once with a plain validator.
const optionsAjv = new Ajv2020({ allErrors: true, strict: false });
const optionValidators = Object.fromEntries(KIND_NAMES.map((k) => [k, optionsAjv.compile(KINDS[k].options)]));

function checkAnnotations(schema: JsonSchema, problems: Problem[]): void {
  const xFields = new Map<string, string>();
  walkSchema(schema, (node, sp, structural) => {
    const at = `/schema${sp}`;
    for (const k of Object.keys(node)) {
      if (k.startsWith('x-') && !(ANNOTATIONS as readonly string[]).includes(k)) {
        problems.push({ pointer: `${at}/${escapeSegment(k)}`, code: 'unknown-keyword', message: m(`不支持的扩展关键字 ${k}（可用：${ANNOTATIONS.join('、')}）`, `Unknown extension keyword ${k} (known: ${ANNOTATIONS.join(', ')})`) });
      }
    }
    if ('$id' in node || '$anchor' in node || '$dynamicAnchor' in node) problems.push({ pointer: at, code: 'id', message: m('表单结构中不能使用 $id / $anchor', 'A form schema may not use $id or $anchor') });
    for (const r of ['$ref', '$dynamicRef'] as const) {
      if (r in node && (typeof node[r] !== 'string' || !node[r].startsWith('#'))) problems.push({ pointer: `${at}/${r}`, code: 'ref', message: m(`${r} 只能引用本表单内的定义（以 # 开头）`, `${r} may only point inside the form (starting with #)`) });
    }
    if (isObject(node.properties)) {
      for (const name of Object.keys(node.properties)) {
        if (!PROPERTY_NAME.test(name)) problems.push({ pointer: `${at}/properties/${escapeSegment(name)}`, code: 'field-name', message: m(`字段名 ${name} 不合规：须以字母或 _ 开头，只含字母、数字、_、-（最多 64 位）`, `Field name ${name}: start with a letter or _, then letters, digits, _ or - (at most 64)`) });
      }
    }
    const kind = node['x-kind'];
    if (kind !== undefined) {
      if (!isKind(kind)) {
        problems.push({ pointer: `${at}/x-kind`, code: 'unknown-kind', message: m(`未知的字段类型 ${JSON.stringify(kind)}（可用：${KIND_NAMES.join('、')}）`, `Unknown x-kind ${JSON.stringify(kind)} (known: ${KIND_NAMES.join(', ')})`) });
      } else {
        const def = KINDS[kind];
        const options: Record<string, any> = isObject(node['x-options']) ? node['x-options'] : {};
        const v = optionValidators[kind]!;
        if (!isObject(node['x-options'] ?? {})) {
          problems.push({ pointer: `${at}/x-options`, code: 'options', message: m('x-options 应为对象', 'x-options must be an object') });
        } else if (!v(options)) {
          for (const e of v.errors ?? []) problems.push({ pointer: `${at}/x-options${e.instancePath}`, code: 'options', message: m(`${kind} 的选项不正确：${e.instancePath || 'x-options'} ${e.message}`, `Invalid ${kind} option: ${e.instancePath || 'x-options'} ${e.message}`) });
        } else {
          if (node.type !== undefined && node.type !== def.type) problems.push({ pointer: `${at}/type`, code: 'kind-type', message: m(`x-kind ${kind} 的类型应为 ${def.type}`, `x-kind ${kind} needs type ${def.type}`) });
          const expanded = def.expand(node, options);
          for (const k of def.owned) {
            if (k !== 'type' && node[k] !== undefined && !deepEqual(node[k], expanded[k])) {
              problems.push({ pointer: `${at}/${k}`, code: 'kind-owned', message: m(`${k} 由 x-kind ${kind} 决定，请删除或改用 x-options`, `${k} is decided by x-kind ${kind}; remove it or use x-options`) });
            }
          }
          if (kind === 'table' && !(isObject(node.items) && isObject(node.items.properties))) {
            problems.push({ pointer: `${at}/items`, code: 'table-items', message: m('表格（table）须用 items.properties 定义每行的字段', 'A table needs items.properties: the fields of each row') });
          }
        }
      }
    } else if (node['x-options'] !== undefined) {
      problems.push({ pointer: `${at}/x-options`, code: 'options', message: m('x-options 只能与 x-kind 一起使用', 'x-options needs an x-kind') });
    }
    if (node['x-field'] !== undefined) {
      const xf = node['x-field'];
      if (typeof xf !== 'string' || !X_FIELD.test(xf)) problems.push({ pointer: `${at}/x-field`, code: 'x-field', message: m('x-field 应为以点分隔的标识，如 applicant.idNumber', 'x-field must be a dotted identifier such as applicant.idNumber') });
      else if (!structural) problems.push({ pointer: `${at}/x-field`, code: 'x-field', message: m('x-field 只能用于 properties 中的字段', 'x-field belongs on a field under properties') });
      else if (xFields.has(xf)) problems.push({ pointer: `${at}/x-field`, code: 'x-field-duplicate', message: m(`x-field ${xf} 在表单中出现了两次（另见 ${xFields.get(xf)}）`, `x-field ${xf} is used twice (also at ${xFields.get(xf)})`) });
      else xFields.set(xf, at);
    }
    if (node['x-prefill'] !== undefined) {
      const why = typeof node['x-prefill'] === 'string' ? prefillProblem(node['x-prefill']) : 'syntax';
      if (why) {
        const msg = why === 'syntax' ? m('x-prefill 应为 来源.字段，如 profile.name', 'x-prefill must be source.key, e.g. profile.name')
          : why === 'prefix' ? m(`没有名为 ${String(node['x-prefill']).split('.')[0]} 的预填来源（可用：${prefillPrefixes().join('、')}）`, `No prefill source ${String(node['x-prefill']).split('.')[0]} (known: ${prefillPrefixes().join(', ')})`)
            : m(`预填来源不提供 ${node['x-prefill']}`, `The prefill source has no ${node['x-prefill']}`);
        problems.push({ pointer: `${at}/x-prefill`, code: 'x-prefill', message: msg });
      }
    }
    for (const k of ['x-title-en']) if (node[k] !== undefined && typeof node[k] !== 'string') problems.push({ pointer: `${at}/${k}`, code: 'type', message: m(`${k} 应为文本`, `${k} must be a string`) });
  });
}

/** Kinds expanded; objects of fields closed (`additionalProperties: false`) unless they say otherwise. */
export function normalizeSchema(schema: JsonSchema): JsonSchema {
  const out = clone(schema);
  const fix = (node: unknown, structural: boolean): void => {
    if (!isObject(node)) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'properties' || k === '$defs' || k === 'patternProperties' || k === 'dependentSchemas') {
        if (isObject(v)) for (const sub of Object.values(v)) fix(sub, structural && k === 'properties');
      } else if (['allOf', 'anyOf', 'oneOf', 'prefixItems'].includes(k) && Array.isArray(v)) {
        v.forEach((sub) => fix(sub, false));
      } else if (k !== 'x-options' && k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples' && isObject(v)) {
        fix(v, structural && k === 'items');
      }
    }
    if (isKind(node['x-kind'])) {
      if (node['x-kind'] === 'table' && isObject(node.items) && node.items.type === undefined) node.items.type = 'object';
      Object.assign(node, KINDS[node['x-kind']].expand(node, node['x-options'] ?? {}));
    }
    const isObjectNode = node.type === 'object' || (node.type === undefined && isObject(node.properties));
    if (structural && isObjectNode && node.additionalProperties === undefined && node.unevaluatedProperties === undefined) node.additionalProperties = false;
  };
  fix(out, true);
  if (out.type === undefined) out.type = 'object';
  const { $schema: _dialect, ...rest } = out;
  return { $schema: SCHEMA_DIALECT, ...rest };
}

function checkUi(ui: unknown, schema: JsonSchema, fields: Map<string, FieldInfo>, problems: Problem[]): void {
  const conditionProblems: ConditionProblem[] = [];
  const walk = (node: unknown, s: JsonSchema | undefined, at: string, pattern: string) => {
    if (!isObject(node)) {
      problems.push({ pointer: at || '/uiSchema', code: 'ui-type', message: m('界面配置的每一项都应为对象', 'Each UI schema entry must be an object') });
      return;
    }
    for (const [k, v] of Object.entries(node)) {
      const here = `${at}/${escapeSegment(k)}`;
      if (k === 'ui:order') {
        if (!Array.isArray(v)) problems.push({ pointer: here, code: 'ui-order', message: m('ui:order 应为字段名列表', 'ui:order must be a list of field names') });
        else v.forEach((name, i) => {
          if (name !== '*' && !(isObject(s?.properties) && Object.hasOwn(s!.properties, name))) problems.push({ pointer: `${here}/${i}`, code: 'ui-unknown-field', message: m(`ui:order 中的 ${name} 不是该处的字段`, `ui:order names no field here: ${name}`) });
        });
      } else if (k.startsWith('ui:')) {
        continue;
      } else if (k === 'x-visibleIf') {
        if (pattern === '') problems.push({ pointer: here, code: 'ui-visible-root', message: m('整个表单不能设置显示条件', 'The form itself cannot have a condition') });
        else checkCondition(v, here, fields, conditionProblems);
      } else if (k.startsWith('x-')) {
        problems.push({ pointer: here, code: 'unknown-keyword', message: m(`界面配置不支持 ${k}（可用：x-visibleIf 及 ui: 开头的设置）`, `Unknown UI keyword ${k} (x-visibleIf and ui: settings are known)`) });
      } else if (k === 'items' && s?.type === 'array' && isObject(s.items)) {
        walk(v, s.items, here, `${pattern}/*`);
      } else if (isObject(s?.properties) && Object.hasOwn(s!.properties, k)) {
        walk(v, s!.properties[k], here, `${pattern}/${escapeSegment(k)}`);
      } else {
        problems.push({ pointer: here, code: 'ui-unknown-field', message: m(`界面配置引用了不存在的字段 ${pattern}/${k}`, `The UI schema refers to no field: ${pattern}/${k}`) });
      }
    }
  };
  walk(ui, schema, '/uiSchema', '');
  for (const c of conditionProblems) problems.push({ pointer: c.pointer, code: 'ui-condition', message: c.message });
}

/** Every problem of a definition, and the normalised definition when there is none. */
export function checkDefinition(input: unknown, lang: Lang): { problems: FieldError[]; definition: FormDefinition | null } {
  const problems: Problem[] = [];
  const i = isObject(input) ? input : {};
  if (!isObject(input)) problems.push({ pointer: '', code: 'type', message: m('表单定义应为对象', 'A form definition must be an object') });
  const key = i.key;
  if (typeof key !== 'string' || key.length > 64 || !FORM_KEY.test(key) || RESERVED_KEYS.has(key)) {
    problems.push({ pointer: '/key', code: 'key', message: m('表单标识须为小写字母、数字和连字符（如 birth-registration，最多 64 位，不能是 merge）', 'The key must be lower-case letters, digits and hyphens (e.g. birth-registration, at most 64, not "merge")') });
  }
  const division = typeof i.division === 'number' ? String(i.division) : i.division;
  const dv = validateDivisionCode(division);
  if (!dv.ok) problems.push({ pointer: '/division', code: 'division', message: m(`行政区划代码不正确：${dv.message['zh-CN']}`, `Invalid division: ${dv.message.en}`) });
  const title = isObject(i.title) ? i.title : {};
  const zh = typeof title['zh-CN'] === 'string' ? title['zh-CN'].trim() : '';
  const en = typeof title.en === 'string' ? title.en.trim() : '';
  if (!zh || zh.length > 200) problems.push({ pointer: '/title/zh-CN', code: 'title', message: m('请填写中文标题（最多 200 字）', 'Give a Chinese title (at most 200 characters)') });
  if (en.length > 200 || (title.en !== undefined && typeof title.en !== 'string')) problems.push({ pointer: '/title/en', code: 'title', message: m('英文标题最多 200 字', 'The English title takes at most 200 characters') });
  const schema = i.schema;
  if (!isObject(schema)) {
    problems.push({ pointer: '/schema', code: 'schema', message: m('schema 应为 JSON Schema 对象', 'schema must be a JSON Schema object') });
  } else {
    if (schema.type !== undefined && schema.type !== 'object') problems.push({ pointer: '/schema/type', code: 'schema', message: m('表单的根应为 object', 'The root of a form must be an object') });
    if (schema.$schema !== undefined && schema.$schema !== SCHEMA_DIALECT) problems.push({ pointer: '/schema/$schema', code: 'dialect', message: m(`只支持 JSON Schema 2020-12（${SCHEMA_DIALECT}）`, `Only JSON Schema 2020-12 (${SCHEMA_DIALECT}) is supported`) });
    checkAnnotations(schema, problems);
  }
  const ui = i.uiSchema ?? {};
  let normalized: JsonSchema | null = null;
  if (isObject(schema)) {
    try {
      normalized = normalizeSchema(schema);
    } catch {
      normalized = null;
    }
  }
  if (normalized) {
    const ajv = formsAjv();
    const before = problems.length;
    if (!ajv.validateSchema(normalized)) {
      const seen = new Set<string>();
      for (const e of ajv.errors ?? []) {
        // One problem per place: a wrong `type` fails both branches of the meta-schema's anyOf.
        if (['anyOf', 'oneOf', 'if'].includes(e.keyword) || seen.has(e.instancePath)) continue;
        seen.add(e.instancePath);
        problems.push({ pointer: `/schema${e.instancePath}`, code: 'schema', message: m(`不符合 JSON Schema 2020-12：${e.instancePath || '/'} ${e.message}`, `Not valid JSON Schema 2020-12: ${e.instancePath || '/'} ${e.message}`) });
      }
    }
    checkUi(ui, normalized, collectFields(normalized), problems);
    // Compiling reports one problem at a time, so it runs only when nothing else is wrong.
    if (problems.length === 0 && before === 0) {
      try {
        ajv.compile(normalized);
      } catch (err) {
        problems.push({ pointer: '/schema', code: 'compile', message: m(`表单结构无法编译：${(err as Error).message}`, `The schema does not compile: ${(err as Error).message}`) });
      }
    }
    if (problems.length === 0) {
      return { problems: [], definition: { key: key as string, division: dv.ok ? dv.canonical : String(division), title: { 'zh-CN': zh, en: en || zh }, schema: normalized, uiSchema: ui as UiSchema } };
    }
  }
  return { problems: problems.map((p) => ({ pointer: p.pointer, code: p.code, message: lang === 'en' ? p.message.en : p.message['zh-CN'] })), definition: null };
}

/** The normalised definition, or DEFINITION_INVALID (400) listing every problem. */
export function assertDefinition(input: unknown, lang: Lang, pointerPrefix = ''): FormDefinition {
  const { problems, definition } = checkDefinition(input, lang);
  if (!definition) {
    throw new AppError('DEFINITION_INVALID', { 'zh-CN': `表单定义有 ${problems.length} 处问题`, en: `The form definition has ${problems.length} problem(s)` },
      problems.map((p) => ({ ...p, pointer: `${pointerPrefix}${p.pointer}` })));
  }
  return definition;
}
