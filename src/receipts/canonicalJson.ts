/**
 * RFC 8785 (JCS) for values that came out of JSON.parse (or the strict parser): plain objects, arrays,
 * strings, finite numbers, booleans and null. Object keys sorted with the default sort (UTF-16 code
 * units), everything else written by JSON.stringify, which already writes strings and numbers as
 * RFC 8785 requires. Same bytes as the `canonicalize` package on such values (tested), several times
 * faster: the log folds every stored receipt through it.
 */
export function canonicalJsonOfParsed(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJsonOfParsed(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${canonicalJsonOfParsed(obj[k])}`;
  }
  return `${out}}`;
}
