import type { OffsetRange } from "@rapport/kafka";
import { type DlqPosition, dlqPositionText } from "./dlq-position.js";

/** A partition's first offset and its end (the offset the next record will get), when reading began. */
export type PartitionExtent = { partition: number; low: bigint; high: bigint };

/** Everything there was when reading began: each partition from its first offset to its end. */
export function wholeTopic(extents: readonly PartitionExtent[]): OffsetRange[] {
  return extents.map(({ partition, low, high }) => ({ partition, from: low, to: high }));
}

/**
 * The ranges that hold the given positions (one per partition, from the lowest to the highest
 * position asked for), and why each position that cannot be in the topic is not.
 */
export function rangesOfPositions(
  positions: readonly DlqPosition[],
  extents: readonly PartitionExtent[],
): { ranges: OffsetRange[]; outside: { position: DlqPosition; why: string }[] } {
  const byPartition = new Map(extents.map((extent) => [extent.partition, extent]));
  const ranges = new Map<number, OffsetRange>();
  const outside: { position: DlqPosition; why: string }[] = [];
  for (const position of positions) {
    const extent = byPartition.get(position.partition);
    const offset = BigInt(position.offset);
    if (extent === undefined) {
      outside.push({
        position,
        why: `the topic has no partition ${position.partition} (it has ${extents.length})`,
      });
    } else if (offset < extent.low || offset >= extent.high) {
      outside.push({
        position,
        why:
          extent.high === extent.low
            ? `partition ${position.partition} is empty`
            : `partition ${position.partition} holds offsets ${extent.low} to ${extent.high - 1n}`,
      });
    } else {
      const range = ranges.get(position.partition);
      ranges.set(position.partition, {
        partition: position.partition,
        from: range === undefined || offset < range.from ? offset : range.from,
        to: range === undefined || offset + 1n > range.to ? offset + 1n : range.to,
      });
    }
  }
  return { ranges: [...ranges.values()], outside };
}

/** The positions asked for that no record was found at (a transaction marker's offset holds none). */
export function missingPositions(asked: readonly DlqPosition[], found: readonly DlqPosition[]): string[] {
  const seen = new Set(found.map(dlqPositionText));
  return asked.map(dlqPositionText).filter((position) => !seen.has(position));
}
