/**
 * How a rejected value is shown and what is wrong with it, shared by every
 * validator so that all errors read alike.
 */

const SHOW_MAX = 160;
/** Printable ASCII but the space: no control, formatting, whitespace or non-ASCII character. */
const SAFE_ASCII = /^[\x21-\x7e]*$/;

/**
 * The value in quotes, as the error shows it: control, whitespace other than
 * ' ' and non-ASCII characters escaped as \uXXXX (an invisible character must
 * be visible in the error), cut after 160 characters.
 */
export function show(value: unknown): string {
  if (typeof value !== 'string') { return String(value); }
  const cut = value.length > SHOW_MAX ? value.slice(0, SHOW_MAX) : value;
  const escaped = Array.from(cut).map(c => isPrintableAscii(c) ? c : `\\u${codePoint(c)}`).join('');
  return `'${escaped}${cut.length < value.length ? '…' : ''}'`;
}

/**
 * The first character that makes a value unsafe in an IAM policy, a manifest
 * or a file, worded to follow 'it ' in an error; undefined if none.
 * Non-ASCII characters count unless `allowNonAscii` (whitespace and control
 * characters beyond ASCII always count).
 */
export function hazardIn(value: string, allowNonAscii = false): string | undefined {
  // '${' opens an IAM policy variable: StringEquals on '${aws:...}' matches values never declared.
  if (value.includes('${')) { return "contains '${', which IAM reads as a policy variable (${aws:...}), so the policy would match values never declared"; }
  if (value.includes('*')) { return "contains '*', a wildcard"; }
  // Most values are plain printable ASCII without spaces, where no character below can be a hazard.
  if (SAFE_ASCII.test(value)) { return undefined; }
  for (const c of Array.from(value)) {
    if (/\p{Cc}/u.test(c)) { return `contains the control character U+${codePoint(c)}`; }
    if (/\p{Cf}/u.test(c)) { return `contains the invisible formatting character U+${codePoint(c)}`; }
    if (/\s/.test(c)) { return `contains whitespace (U+${codePoint(c)})`; }
    if (!allowNonAscii && !isPrintableAscii(c)) { return `contains the non-ASCII character U+${codePoint(c)}`; }
  }
  return undefined;
}

/** The first character of `value` that `allowed` (a one-character class) does not match, quoted; undefined if none. */
export function disallowedCharIn(value: string, allowed: RegExp): string | undefined {
  const bad = Array.from(value).find(c => !allowed.test(c));
  return bad === undefined ? undefined : `'${bad}'`;
}

function isPrintableAscii(c: string): boolean {
  return c >= ' ' && c <= '~';
}

function codePoint(c: string): string {
  return c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}
