// Form validators shared by every module: pure functions, no database.
export { fail, clean, PROVINCE_CODES, type LocalizedText, type ValidationFailure, type ValidationResult } from './types.js';
export {
  validateResidentId, residentIdCheckChar, isRealDate,
  type ResidentIdInfo, type ResidentIdOptions, type ResidentIdReason, type ResidentIdResult,
} from './resident-id.js';
export { validateUscc, usccCheckChar, orgCodeCheckChar, type UsccInfo, type UsccReason, type UsccResult } from './uscc.js';
export { validateMobile, type MobileInfo, type MobileReason, type MobileResult } from './mobile.js';
export {
  validateDivisionCode, divisionLevel, parentDivisionCode, divisionAncestors, isWithinDivision,
  type DivisionInfo, type DivisionLevel, type DivisionReason, type DivisionResult,
} from './division.js';
export { maskResidentId, maskMobile, maskName } from './mask.js';
export { formats } from './formats.js';
