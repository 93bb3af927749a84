// JSON Schema `format` checkers for ajv (`ajv.addFormat(name, fn)`). They accept only the
// normalised form (what `validateX(s).value` returns): a schema cannot rewrite the value, so a
// string that passes is safe to store and to blind-index as it is. Normalise in the client or
// the handler first (e.g. upper-case X, strip +86 and spaces).
import { validateDivisionCode } from './division.js';
import { validateMobile } from './mobile.js';
import { validateResidentId } from './resident-id.js';
import { validateUscc } from './uscc.js';

type Checker = (s: string) => boolean;

function canonical(validate: (s: string) => { ok: boolean; value?: string }): Checker {
  return (s: string) => {
    if (typeof s !== 'string') return false;
    const r = validate(s);
    return r.ok && r.value === s;
  };
}

export const formats: Readonly<Record<'resident-id' | 'uscc' | 'mobile-cn' | 'division-code', Checker>> = Object.freeze({
  'resident-id': canonical(validateResidentId),
  uscc: canonical(validateUscc),
  'mobile-cn': canonical(validateMobile),
  'division-code': canonical(validateDivisionCode),
});
