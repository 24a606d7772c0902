import { identityTopics } from "@rapport/identity";
import { ingestionTopics } from "@rapport/ingestion";
import type { TopicSpec } from "@rapport/kafka";
import { offerTopics } from "@rapport/offer";
import { scoringTopics } from "@rapport/scoring";

export type TopicSettings = { KAFKA_TOPIC_PREFIX: string; KAFKA_TOPIC_PARTITIONS: number };

/**
 * Every topic of the platform, as the four services declare them: created before any service starts,
 * so that no service races another to create a topic they share, and upstream systems can publish to
 * the raw lanes as soon as the stack is up.
 */
export function platformTopics(settings: TopicSettings): TopicSpec[] {
  return mergeTopicSpecs([
    ...ingestionTopics(settings),
    ...identityTopics(settings),
    ...scoringTopics(settings),
    ...offerTopics(settings),
  ]);
}

/**
 * One spec per topic name, in order of first mention. Services that share a topic must agree on its
 * partitions; its configuration is the union of what each asks (crm.raw.consents: ingestion reads it
 * with the broker's defaults, the offer service asks to keep it forever), and two different values for
 * one setting are an error, since creating the topic with either would break the other service.
 */
export function mergeTopicSpecs(specs: readonly TopicSpec[]): TopicSpec[] {
  const merged = new Map<string, TopicSpec>();
  for (const spec of specs) {
    const known = merged.get(spec.name);
    if (known === undefined) {
      merged.set(spec.name, { ...spec, config: { ...spec.config } });
      continue;
    }
    if (known.partitions !== spec.partitions) {
      throw new Error(
        `Topic ${spec.name} is declared with ${known.partitions} and with ${spec.partitions} partitions; the services must agree`,
      );
    }
    for (const [setting, value] of Object.entries(spec.config ?? {})) {
      const knownValue = known.config?.[setting];
      if (knownValue !== undefined && knownValue !== value) {
        throw new Error(
          `Topic ${spec.name} is declared with ${setting}=${knownValue} and with ${setting}=${value}; the services must agree`,
        );
      }
      known.config = { ...known.config, [setting]: value };
    }
  }
  return [...merged.values()];
}
