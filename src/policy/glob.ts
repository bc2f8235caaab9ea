/**
 * Glob matching for policy rules: `*` within a path segment, `**` across segments, `?` one
 * character, `[abc]` classes. Tool and rule-id globs have no segments: `*` matches anything.
 */

const cache = new Map<string, RegExp>();

function compile(glob: string, segmented: boolean): RegExp {
  const key = (segmented ? 'p:' : 't:') + glob;
  let re = cache.get(key);
  if (re) return re;
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          src += '(?:.*/)?';
        } else src += '.*';
      } else src += segmented ? '[^/]*' : '.*';
    } else if (c === '?') src += segmented ? '[^/]' : '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) src += '\\[';
      else {
        src += '[' + glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else src += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  re = new RegExp('^' + src + (segmented ? '(?:/.*)?$' : '$'));
  cache.set(key, re);
  return re;
}

/** Match a path against a glob; a glob naming a directory also matches everything inside it. */
export function matchPathGlob(glob: string, path: string): boolean {
  return compile(glob.length > 1 ? glob.replace(/\/+$/, '') : glob, true).test(path);
}

/** Match a name (tool, program, rule id) against a glob. */
export function matchNameGlob(glob: string, name: string): boolean {
  return compile(glob, false).test(name);
}
