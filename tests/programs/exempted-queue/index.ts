import * as aws from "@pulumi/aws";

const tags = { Project: "billing", Environment: "test", Owner: "billing-team" };

// Neither queue has an alarm, a dead-letter queue or a TLS-only policy, and neither is encrypted:
// policy-config.json exempts legacy-feed from sqs-queue-encrypted (the legacy bridge needs it so).
const legacyFeed = new aws.sqs.Queue("legacy-feed", { sqsManagedSseEnabled: false, tags }); // expect: sqs-queue-alarm-required sqs-dead-letter-queue-required sqs-queue-tls-only
const invoices = new aws.sqs.Queue("invoices", { sqsManagedSseEnabled: false, tags }); // expect: sqs-queue-encrypted sqs-queue-alarm-required sqs-dead-letter-queue-required sqs-queue-tls-only

export const legacyFeedUrl = legacyFeed.url;
export const invoicesUrl = invoices.url;
