/** The identifier fields a row may carry; each becomes a `{ type, value }` in data.customer.identifiers. */
export const identifierFields = ["customer_number", "email", "phone", "loyalty_card"] as const;

/** Fields of an order row. The item fields make rows with the same order_id one order with several items. */
export const orderFields = [
  ...identifierFields,
  "order_id",
  "time",
  "amount",
  "amount_minor",
  "currency",
  "sales_channel",
  "store_id",
  "product_id",
  "product_name",
  "category",
  "quantity",
  "unit_price",
  "margin",
] as const;

export const customerFields = [
  ...identifierFields,
  /** The upstream system's id of the record: keys the registration, but identifies nobody. */
  "source_record_id",
  "first_name",
  "last_name",
  "birth_date",
  "address_line1",
  "address_line2",
  "city",
  "region",
  "postal_code",
  "country_code",
  "registration_channel",
  "time",
] as const;

export const importKinds = ["orders", "customers"] as const;
export type ImportKind = (typeof importKinds)[number];

export type IdentifierField = (typeof identifierFields)[number];
export type OrderField = (typeof orderFields)[number];
export type CustomerField = (typeof customerFields)[number];
export type ImportField = OrderField | CustomerField;

export function isImportKind(value: string): value is ImportKind {
  return (importKinds as readonly string[]).includes(value);
}

export function fieldsOf(kind: ImportKind): readonly ImportField[] {
  switch (kind) {
    case "orders":
      return orderFields;
    case "customers":
      return customerFields;
    default: {
      const unhandled: never = kind;
      return unhandled;
    }
  }
}
