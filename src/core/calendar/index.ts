/**
 * Working-day calendar for SLA timers (工作日 deadlines, working hours, 补正 pauses).
 * All civil dates are China Standard Time (UTC+8); see README.md.
 */
export { WorkingCalendar, buildCalendar, getDefaultCalendar } from './calendar.js';
export { divisionScopes, normalizeDivision } from './division.js';
export { CalendarDataError, defaultPacksDir, loadNationalCalendars, validateOverride, validateYearData } from './data.js';
export { MAX_WORKING_DAYS } from './days.js';
export { DEFAULT_WORKING_HOURS, MAX_WORKING_HOURS, parseWorkingHours } from './hours.js';
export { CST_OFFSET_MS, civilDateOf, cstInstant } from './civil.js';
export { readPeriod, PERIOD_DEFAULT_DAYS, PERIOD_MAX_DAYS, type Period } from './period.js';
export type * from './types.js';
