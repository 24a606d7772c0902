/** A record's place in the dead-letter topic: what `dlq list` prints and `dlq show` / `redrive` take. */
export type DlqPosition = { partition: number; offset: string };

const positionPattern = /^(\d+):(\d+)$/;

/** `3:1207` → partition 3, offset 1207; undefined when the text is not a position. */
export function parseDlqPosition(text: string): DlqPosition | undefined {
  const match = positionPattern.exec(text.trim());
  if (!match) return undefined;
  const [, partition, offset] = match as unknown as [string, string, string];
  return { partition: Number(partition), offset: String(BigInt(offset)) };
}

export function dlqPositionText(position: DlqPosition): string {
  return `${position.partition}:${position.offset}`;
}

/** Dead-letter order: by partition, then offset. */
export function compareDlqPositions(a: DlqPosition, b: DlqPosition): number {
  if (a.partition !== b.partition) return a.partition - b.partition;
  const difference = BigInt(a.offset) - BigInt(b.offset);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}
