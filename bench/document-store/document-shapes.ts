import { BSON } from "mongodb";
import type { CustomerDocument } from "./customer-documents.js";

/**
 * How a customer's content is stored: `nested` as the fields themselves, `jsonText` as what reads
 * filter on (`_id`, `status`) beside the rest as one JSON text field, as identity stores its customers
 * (StoredCustomer in services/identity/src/adapters/customer-documents.ts).
 */
export const documentShapes = ["nested", "jsonText"] as const;
export type DocumentShape = (typeof documentShapes)[number];

export const shapeLabels: Record<DocumentShape, string> = {
  nested: "nested fields",
  jsonText: "one JSON text field",
};

export type JsonTextCustomer = { _id: string; status: CustomerDocument["status"]; state: string };
export type StoredCustomer = CustomerDocument | JsonTextCustomer;

export function jsonTextOf(customer: CustomerDocument): JsonTextCustomer {
  const { _id, status, ...rest } = customer;
  return { _id, status, state: JSON.stringify(rest) };
}

export function storedAs(shape: DocumentShape, customer: CustomerDocument): StoredCustomer {
  return shape === "nested" ? customer : jsonTextOf(customer);
}

/** The customer a stored document holds, whichever its shape; throws on a document of neither shape. */
export function customerOf(stored: unknown): CustomerDocument {
  if (typeof stored !== "object" || stored === null) throw new Error("not a stored customer");
  const { _id, status, state, goldenRecord } = stored as Partial<JsonTextCustomer & CustomerDocument>;
  if (typeof state === "string") {
    const rest: unknown = JSON.parse(state);
    return { _id, status, ...(rest as Omit<CustomerDocument, "_id" | "status">) } as CustomerDocument;
  }
  if (typeof goldenRecord === "object") return stored as CustomerDocument;
  throw new Error(`stored customer ${String(_id)} has neither a state text nor a golden record`);
}

/**
 * The values a document holds, counted as FerretDB walks them: every field of every embedded document
 * and every array element, at any depth (an embedded document or array counts, and so does each value
 * in it). `{a: 1, b: {c: 2}}` holds 3.
 */
export function fieldCount(document: object): number {
  const values = Array.isArray(document) ? document : Object.values(document);
  return values.reduce<number>(
    (count, value) => count + 1 + (typeof value === "object" && value !== null ? fieldCount(value) : 0),
    0,
  );
}

/** How large the customers are on average: as JSON text, and in each shape as BSON and as values. */
export type CustomerSizes = {
  jsonBytes: number;
  bsonBytes: Record<DocumentShape, number>;
  fields: Record<DocumentShape, number>;
};

export function customerSizes(customers: readonly CustomerDocument[]): CustomerSizes {
  if (customers.length === 0) throw new Error("sizes of no customers");
  const mean = (measure: (customer: CustomerDocument) => number) =>
    customers.reduce((sum, customer) => sum + measure(customer), 0) / customers.length;
  const perShape = (measure: (stored: object) => number) =>
    Object.fromEntries(
      documentShapes.map((shape) => [shape, mean((customer) => measure(storedAs(shape, customer)))]),
    ) as Record<DocumentShape, number>;
  return {
    jsonBytes: mean((customer) => Buffer.byteLength(JSON.stringify(customer))),
    bsonBytes: perShape((stored) => BSON.calculateObjectSize(stored)),
    fields: perShape(fieldCount),
  };
}

/**
 * The shapes in the order of call `call` (from 0): reversed every other call, so that neither shape
 * always runs right after the other (and neither always first after a pause).
 */
export function shapeOrder(call: number): DocumentShape[] {
  return call % 2 === 0 ? [...documentShapes] : [...documentShapes].reverse();
}
