// What may never leave in a message body. The body column is plain text (the admin outbox shows
// it, SMS gateways and mail servers keep copies), so every rendered message — SMS, e-mail and
// in-app — passes through scrubMessage() before it is stored:
//  - a full 18-character resident ID number is masked to its first and last 4 characters, the
//    same form as maskResidentId, with or without spaces or dashes between its groups;
//  - an 11-digit mainland mobile number is masked (138****5678) unless it is the recipient's own
//    number: a message about a work order must not hand a third person's phone to the recipient,
//    while "your number 138… was bound" stays readable. Service numbers (12345, 0871-…) are not
//    mobiles and are left alone, which is what templates should use for call-backs.
// 15-digit first-generation ID numbers have not been valid since 2013 and are not matched: a
// 15-digit run is far more often a reference number that the recipient needs.

/** Full-width digits and Ｘ would otherwise slip past the patterns below. */
function asciiDigits(text: string): string {
  return text.replace(/[０-９Ｘｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

const ID_NUMBER = /(?<![0-9])(\d{6})[ -]?(\d{8})[ -]?(\d{3}[0-9Xx])(?![0-9])/g;
const MOBILE = /(?<![0-9])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9])/g;

/** Never let a full resident ID number into a message. */
export function scrubIdNumbers(text: string): string {
  return asciiDigits(text).replace(ID_NUMBER, (_m, a: string, b: string, c: string) => {
    const id = `${a}${b}${c}`.toUpperCase();
    return `${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(-4)}`;
  });
}

/** Masks mainland mobile numbers other than `own` (11 digits, or null when there is none). */
export function maskOtherMobiles(text: string, own: string | null): string {
  return text.replace(MOBILE, (m, a: string, b: string, c: string) => {
    const digits = `${a}${b}${c}`;
    return digits === own ? m : `${a}****${c}`;
  });
}

export function scrubMessage(text: string, ownMobile: string | null = null): string {
  return maskOtherMobiles(scrubIdNumbers(text), ownMobile);
}

/** 'zhang.san@example.com' → 'z***@example.com'. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
