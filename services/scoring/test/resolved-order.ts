/** An order of one tea, as the fixtures of scoring's integration tests place it. */
export type ResolvedOrder = {
  customerId: string;
  orderId: string;
  time: string;
  amountMinor: number;
  currency: string;
};

/**
 * An order as identity appends it to crm.events.resolved: a Kafka message keyed by customer id,
 * the CloudEvent carrying its `customerid`.
 */
export function resolvedOrderMessage({ customerId, orderId, time, amountMinor, currency }: ResolvedOrder) {
  return {
    key: customerId,
    value: JSON.stringify({
      specversion: "1.0",
      id: `shop:${orderId}`,
      source: "shop",
      type: "crm.v1.OrderPlaced",
      time,
      datacontenttype: "application/json",
      customerid: customerId,
      data: {
        customer: { identifiers: [{ type: "customer_number", value: customerId }] },
        orderId,
        items: [{ productId: "tea-01", category: "tea", quantity: 1, unitPrice: { amountMinor, currency } }],
        total: { amountMinor, currency },
      },
    }),
  };
}
