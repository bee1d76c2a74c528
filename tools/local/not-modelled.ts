/**
 * What a local run does not model, printed with every run and listed in the README. The claims
 * about fauxqs 1.9.2 and dynalite 4.0.0 were found by experiment;
 * `tests/tools/local/emulator-fidelity.spec.ts` repeats the experiments, so an emulator upgrade
 * that changes one of them fails until this list is corrected.
 */
export const NOT_MODELLED: readonly string[] = [
    "IAM: every call is allowed. The queue and topic policies the program declares are stored, not enforced (SNS delivers to a queue whose policy denies it), " +
        "so a queue SNS may not write to — silent message loss in AWS — works here; the policy pack's sns-sqs-subscription-deliverable catches it.",
    "KMS: nothing is encrypted. The topic's KmsMasterKeyId is stored and unused; a queue's SqsManagedSseEnabled is accepted and not stored; " +
        "the table's server-side encryption and deletion protection are accepted and not stored.",
    "Throttling and quotas: none in SNS, SQS, Lambda or DynamoDB.",
    "Lambda scaling: one poller and one execution environment per function, one batch at a time (maximumConcurrency is not applied); " +
        "the function timeout is the handler's remaining time but is not enforced; memory is not limited; " +
        "the handler runs on this machine's Node.js, which may differ from the function's runtime.",
    "ECS: a fixed number of tasks in this process (the scaling target's minimum, at least one), no step scaling, no CPU or memory limits, " +
        "no container image (the worker code of this tree stands in for it).",
    "fauxqs stores a subscription's RedrivePolicy without acting on it: a message SNS cannot deliver (its queue deleted) is dropped, " +
        "not moved to the subscription's dead-letter queue.",
    "fauxqs stores a queue's MessageRetentionPeriod without acting on it: messages never expire.",
    "fauxqs matches MessageBody-scope filter policies on top-level and nested keys, but not on the elements of an array in the body, " +
        "and the operators equals-ignore-case, wildcard and cidr match nothing; an invalid filter policy is accepted (AWS refuses it) and delivers every message. " +
        "The run evaluates each consumer's filter by AWS's rules itself, so such a difference shows as a problem.",
    "fauxqs delivers each message once per subscription (no SNS delivery retries, no extra SQS deliveries): the duplicates the run publishes stand in for those.",
    "dynalite has no TTL (UpdateTimeToLive is unknown to it): nothing expires; the run checks instead that every idempotency record carries the TTL attribute in epoch seconds.",
    "CloudWatch: no metrics, alarms, dashboard or log groups; the consumers' logs and EMF metric lines go to stderr.",
    "Networking: no VPC, subnets, security groups or NAT; everything listens on 127.0.0.1.",
];
