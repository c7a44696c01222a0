/**
 * Fills `{{placeholder}}` templates from a data record. Unknown placeholders stay as written,
 * so a typo in a template is visible in output instead of silently printing "undefined".
 */
export function interpolate(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (match, key: string) =>
    Object.hasOwn(data, key) ? String(data[key]) : match,
  );
}
