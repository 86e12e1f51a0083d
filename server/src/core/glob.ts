/** File-name globs as VS Code writes them: `**`, `*`, `?`, `{a,b}` and `[…]`. */

const cache = new Map<string, RegExp>();

function toRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) re += '\\{';
      else {
        re +=
          '(?:' +
          glob
            .slice(i + 1, close)
            .split(',')
            .map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
            .join('|') +
          ')';
        i = close;
      }
    } else if (c === '[') {
      const close = glob.indexOf(']', i);
      if (close < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, close).replace(/^!/, '^') + ']';
        i = close;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's'); // a name may hold a line break
}

/** True when a path matches one of the globs; a glob without `/` matches the file name. */
export function matchesGlob(path: string, globs: readonly string[]): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return globs.some((g) => {
    let re = cache.get(g);
    if (!re) cache.set(g, (re = toRegExp(g)));
    return re.test(g.includes('/') ? path : name) || (g.startsWith('**/') && re.test('/' + path.replace(/^\/+/, '')));
  });
}
