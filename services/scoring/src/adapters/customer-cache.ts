import type { CustomerDocument } from "./customer-documents.js";

/**
 * The customer documents the writer read or wrote lately, so that the next parts find them in memory.
 * Exact because one instance writes a database at a time (the writer's lease) and it writes through:
 * a document goes in once the store has it, and a failed write empties the cache. Bounded: the least
 * recently used documents are read from the store again when needed.
 */
export class CustomerCache {
  readonly #documents = new Map<string, CustomerDocument>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#documents.size;
  }

  get(customerId: string): CustomerDocument | undefined {
    const document = this.#documents.get(customerId);
    if (document === undefined) return undefined;
    this.#documents.delete(customerId);
    this.#documents.set(customerId, document);
    return document;
  }

  set(document: CustomerDocument): void {
    this.#documents.delete(document._id);
    this.#documents.set(document._id, document);
    while (this.#documents.size > this.capacity) {
      const oldest = this.#documents.keys().next();
      if (oldest.done) break;
      this.#documents.delete(oldest.value);
    }
  }

  clear(): void {
    this.#documents.clear();
  }
}
