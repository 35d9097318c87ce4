/**
 * The number a numeric answer means, accepting a decimal comma; null if it is not one. Free of
 * zod, so the candidate UI can use it without carrying the schemas.
 */
export function parseNumericAnswer(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}
