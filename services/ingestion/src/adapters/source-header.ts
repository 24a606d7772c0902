/**
 * The header with which the HTTP and gRPC front doors vouch for the source a caller authenticated as,
 * on the raw records they queue. Raw topics are written only by trusted parties (Kafka ACLs).
 */
export const sourceHeader = "rapport-source";
