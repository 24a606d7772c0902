import { defaultDlqListLimit } from "./dlq-options.js";

export const dlqUsage = `Usage: rapport dlq list [--reason <reason>] [--topic <topic>] [--since <time>] [--limit <n>] [--json]
       rapport dlq show <partition:offset> [--raw | --json]
       rapport dlq redrive <partition:offset>... [--fixed <file>] [--dry-run] [--json]
       rapport dlq redrive --reason <reason> [--topic <topic>] [--since <time>] [--dry-run] [--json]

Every rejected input lands in the dead-letter topic crm.events.dlq with its reason: events ingestion
refused at its HTTP/gRPC front door or on a raw topic (crm.raw.<lane>), and records a service's
consumer could not read. A dead letter keeps the original bytes and headers; its place in the topic
(partition:offset) names it.

  list      reads the topic from the beginning up to its end when the command began, and prints
            one row per dead letter: position, when it was rejected, where it came from (a topic
            position, or the front door), reason, detail (shortened) and the event's type and id
            when the bytes are JSON. The newest ${defaultDlqListLimit} that match are shown (--limit).
  show      prints one dead letter whole: the rejection, every header, and the value (pretty-printed
            when it is JSON). --raw prints the value exactly as it is, to edit and redrive.
  redrive   re-submits the original bytes, or with --fixed the corrected version in a file, to be
            processed again, with the header rapport-redriven-from: crm.events.dlq/<partition:offset>.
            Input from a raw topic goes back to that topic; input rejected at the front door goes to
            the raw topic of its event type (crm.raw.orders for crm.v1.OrderPlaced, access-log lines
            to crm.raw.weblogs) with the source the front door authenticated, so no write key is
            needed. Ingestion then admits it by the same rules as the first time. Events keep their
            id, and ingestion appends an id once, so redriving an event twice appends it once.
            Records of the platform's own topics (crm.events, crm.events.resolved, crm.identity,
            crm.offers, ...) are not redriven: a service could not read them, which is a bug to fix,
            not input to correct. Prints what was sent where.

Options:
  --reason <reason>   only dead letters with this reason (e.g. schema_violation, invalid_timestamp)
  --topic <topic>     only those from this topic, or from the front door: http, grpc, front-door
  --since <time>      only those rejected at or after this ISO 8601 time (2026-03-01, 2026-03-01T09:30Z)
  --limit <n>         list at most the n newest (default ${defaultDlqListLimit})
  --raw               show: the value's bytes only
  --fixed <file>      redrive: send this file's bytes instead of the dead letter's (one position)
  --dry-run           redrive: print what would be sent where, send nothing
  --json              print JSON for scripts
  --brokers <list>    Kafka's brokers, host:port,... (default $KAFKA_BROKERS, else 127.0.0.1:9092)
  -h, --help          show this help

The topic's name takes KAFKA_TOPIC_PREFIX from the environment, as the services do. Reading commits
no consumer group offsets; a long read shows its progress on stderr.

Exit codes: 0 done; 2 some dead letters cannot be redriven (the others were sent); 1 Kafka cannot
be reached, or a position holds no dead letter; 64 wrong command line.

Example: fix an event and send it again
  rapport dlq list --reason schema_violation
  rapport dlq show 0:42 --raw > event.json      # edit event.json
  rapport dlq redrive 0:42 --fixed event.json
`;
