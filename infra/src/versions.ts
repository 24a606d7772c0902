/**
 * Pinned versions of what infra/ provisions. The cache is keyed on these, so bumping one
 * provisions the new version next to the old one instead of mixing them.
 */

/** Kafka 3.9.x: the last line with kafkajs-verified protocol versions (DESIGN §7). Keep in step with infra/kafka/pom.xml. */
export const KAFKA_VERSION = "3.9.2";

/** FerretDB v1.24.x: the last v1 line, the one with the embedded SQLite backend. */
export const FERRETDB_VERSION = "v1.24.2";

export const FERRETDB_MODULE = "github.com/FerretDB/FerretDB";

/**
 * Debian bookworm's docker-compose (1.29, the Compose that Debian ships): the compose check validates
 * docker-compose.yml with it, so the file stays within what 1.29 and Compose v2 both read.
 */
export const DOCKER_COMPOSE_DEBIAN_VERSION = "1.29.2-3";
