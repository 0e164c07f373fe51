// PostgreSQL array literals built directly, for the arrays of a bulk write (up to thousands of
// identifiers or ids per statement). pg turns a JavaScript array into one by a generic escape of
// each element (a type check, a regex replace and string concatenations per element), which in a
// bulk write of new entities cost more Node time than the edges it described.

/** `{…}` of text values: each one double-quoted, with `\` and `"` escaped (so "NULL" stays text). */
export function textArrayLiteral(values: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) out += ',';
    out += '"' + (NEEDS_ESCAPE.test(v) ? v.replace(ESCAPED, '\\$&') : v) + '"';
  }
  return out + '}';
}

/** `{…}` of bigint ids as pg returns them (decimal strings); anything else is refused, not quoted. */
export function idArrayLiteral(ids: readonly string[]): string {
  for (const id of ids) if (!DECIMAL.test(id)) throw new Error(`not an id: ${JSON.stringify(id)}`);
  return `{${ids.join(',')}}`;
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;
const DECIMAL = /^-?\d+$/;
