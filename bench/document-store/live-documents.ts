import { seededRandom } from "../shared/random.js";
import { type IdentifierDocument, identifierDocument } from "./identifier-documents.js";

/**
 * What the benchmark knows the collection holds: identifierDocument(0 … size-1) at first, then each
 * document deleted is swapped for a new one, so draws always come from every document in it.
 */
export type LiveDocuments = {
  readonly size: number;
  /** A position drawn uniformly (seeded by the size). */
  pickIndex(): number;
  at(index: number): IdentifierDocument;
  /** `count` distinct positions, drawn uniformly. */
  pickDistinct(count: number): number[];
  /** A document with an `_id` the collection has never held. */
  fresh(): IdentifierDocument;
  /** The document at `index` was deleted and `document` inserted in its place. */
  replace(index: number, document: IdentifierDocument): void;
};

export function liveDocuments(size: number): LiveDocuments {
  const live = Array.from({ length: size }, (_, index) => identifierDocument(index));
  const random = seededRandom(size);
  let nextIndex = size;
  const at = (index: number) => {
    const document = live[index];
    if (document === undefined) throw new Error(`no live document at ${index} of ${live.length}`);
    return document;
  };

  return {
    size,
    pickIndex: () => random.int(0, live.length - 1),
    at,
    pickDistinct(count) {
      if (count > live.length) throw new Error(`cannot draw ${count} of ${live.length} documents`);
      const picked = new Set<number>();
      while (picked.size < count) picked.add(random.int(0, live.length - 1));
      return [...picked];
    },
    fresh: () => identifierDocument(nextIndex++),
    replace(index, document) {
      at(index);
      live[index] = document;
    },
  };
}
