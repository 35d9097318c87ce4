/** Every string of a locale (a nested object of words), by its dotted key. */
export function localeStrings(value: object, prefix = ''): [string, string][] {
  return Object.entries(value).flatMap(([key, inner]) =>
    typeof inner === 'object' && inner !== null
      ? localeStrings(inner as object, `${prefix}${key}.`)
      : typeof inner === 'string'
        ? [[`${prefix}${key}`, inner] as [string, string]]
        : [],
  );
}
