// Forms engine: JSON Schema 2020-12 forms with field kinds, conditional fields, server-side
// validation with per-field zh-CN/en messages, prefill plugins, versions per division, and merged
// forms for 一件事一次办. See README.md.
import type { Core } from '../../core/index.js';

export { formsMigrations } from './migrations.js';
export { formsRoutes } from './routes.js';
export {
  getForm, formForSubmission, formVersions, publishForm, withdrawForm, resolutionChain, definitionDigest, mayManage, MANAGE,
  type PublishResult,
} from './service.js';
export {
  validateSubmission, checkSubmission, assertValidSubmission, uuidAttachmentChecker, useAttachmentChecker, attachmentCheckerFor,
  type AttachmentChecker, type AttachmentCheck, type AttachmentVerdict, type ValidateOptions, type CheckedSubmission,
} from './validate.js';
export { prefill, registerPrefill, PROFILE_KEYS, type PrefillPlugin, type PrefillContext } from './prefill.js';
export { mergeForms, splitMerged, validateMerged, type MergedForm, type MergeMapping } from './merge.js';
export { diffData, type DataChange } from './diff.js';
export { loadFormFile } from './load.js';
export { checkDefinition, assertDefinition, normalizeSchema, type FormDefinition } from './definition.js';
export { KIND_NAMES, toFen, type KindName } from './kinds.js';
export type { Condition } from './visibility.js';
export type { FormVersion, FormLike, FormInput, FormStatus, FieldError, Lang, Caller, JsonSchema, UiSchema } from './types.js';
import './tables.js';

/** Job definitions and event subscriptions (called once per Core, before routes): the forms engine has none. */
export function registerForms(_core: Core): void {}
