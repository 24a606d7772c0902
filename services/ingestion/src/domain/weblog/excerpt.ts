const maxExcerptLength = 60;

/**
 * Quotes a piece of a log line for a rejection detail. Long lines are cut so one bad record
 * cannot flood a log or a dead-letter message with kilobytes of junk.
 */
export function excerpt(text: string): string {
  const shown = text.length > maxExcerptLength ? `${text.slice(0, maxExcerptLength)}…` : text;
  return JSON.stringify(shown);
}
