/** Fills `{name}` placeholders; shared by the report's, the install wizard's and the widget's catalogs. */
export function interpolate(text: string, params?: Record<string, string | number>): string {
  if (!params) return text
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''))
}
