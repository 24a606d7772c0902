export const replayUsage = `Usage: rapport replay <identity|scoring|offer>

Rebuilds a service's projections from offset zero of the topics it folds into the next projection
version: a database <DATABASE>_v<n> (for scoring and offer also a consumer group <CONSUMER_GROUP>-v<n>)
of its own, beside the version serving now. Once it has caught up with the log as it stood when the replay began, the
new version is activated; running instances of the service switch to it within seconds, without a
restart, and keep it current from where the replay stopped. A replay publishes nothing again and
dead-letters nothing again. The previous version's database stays; drop it once the new one serves
(its name is printed). Progress goes to stderr.

  scoring   customers, scores and population models, from crm.events.resolved, crm.offers,
            crm.identity and crm.scoring. Changes are not announced again on crm.customer.changes.
  offer     contact facts, the catalog and campaigns, from crm.events.resolved, crm.offers,
            crm.customer.changes and crm.identity. No treatment is queued again.
  identity  the identity graph (customers, identifiers, resolutions, source records, match proposals),
            from what identity logged: crm.events.resolved (each event's customer) and crm.identity
            (links, merges, refusals, splits, match decisions). Decisions are applied as they were
            made, never decided again, so customer ids stay what scoring and offer hold. The match
            model in force is taken over. To switch, the running deciders stop taking
            new events for about 15 s plus the time to apply what they published since the replay
            last caught up with them (events wait in crm.events; splits and match decisions answer UNAVAILABLE meanwhile),
            then go on from where they stopped, on the new version, in the same consumer group.
  ingestion has no projection: its store is the index of appended event ids (the command says more).

Configuration comes from the environment, the same as the service's own: KAFKA_BROKERS, MONGODB_URI,
KAFKA_TOPIC_PREFIX, for identity IDENTITY_DATABASE, IDENTITY_CONSUMER_GROUP, IDENTITY_STORE_BUCKETS
and the IDENTITY_* rules, and for scoring SCORING_DATABASE, SCORING_CONSUMER_GROUP, SCORING_STORE_BUCKETS and
the SCORING_* settings; for offer OFFER_DATABASE, OFFER_CONSUMER_GROUP, OFFER_STORE_BUCKETS and
OFFER_UNSUBSCRIBE_SECRET (required by offer's configuration, though a replay signs nothing). See
services/identity/README.md, services/scoring/README.md and services/offer/README.md.

Options:
  -h, --help   show this help

Exit codes: 0 replayed and activated; 1 the replay failed (nothing was activated); 64 wrong
command line, or a service that cannot be replayed.
`;
