/** Git ref-name rules (git check-ref-format) and version shapes, checked before any git call. */

/** Why `name` is not a valid branch or tag name, or undefined when it is. */
export function refNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 255) return 'it is longer than 255 characters';
  if (name.startsWith('-')) return 'it starts with "-"';
  if (name === '@') return 'it is "@"';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: git forbids control characters in ref names.
  if (/[\x00-\x20\x7f]/.test(name)) return 'it contains a space or a control character';
  const bad = name.match(/[~^:?*[\\]/);
  if (bad) return `it contains "${bad[0]}"`;
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('@{')) return 'it contains "@{"';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//'))
    return 'it has an empty path component';
  if (name.endsWith('.')) return 'it ends with "."';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return 'a path component starts with "."';
    if (part.endsWith('.lock')) return 'a path component ends with ".lock"';
  }
  return undefined;
}

export const semverPattern =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
export const shaPattern = /^[0-9a-f]{7,40}$/;

/** What kind of version a string looks like. */
export function versionKind(version: string): 'semver' | 'sha' | 'tag' | undefined {
  if (semverPattern.test(version)) return 'semver';
  if (shaPattern.test(version)) return 'sha';
  return refNameProblem(version) === undefined ? 'tag' : undefined;
}
