/**
 * The policy documents that govern a queue or a topic — its own `policy` and every queue or topic
 * policy resource attached to it — and how to judge a requirement over all of them.
 */
import { AwsType } from "./aws-types";
import { parsePolicyDocument, PolicyDocument, PolicyStatement } from "./policy-document";
import { Reference, StackIndex } from "./stack";

export interface ResourcePolicyKind {
    /** The governed resource's type (`aws:sqs/queue:Queue`); its own `policy` property counts. */
    targetType: string;
    /** The separate policy resource's type (`aws:sqs/queuePolicy:QueuePolicy`). */
    attachmentType: string;
    /** The attachment's property naming the target (`queueUrl`, `arn`). */
    attachmentProperty: string;
}

export const QUEUE_POLICIES: ResourcePolicyKind = { targetType: AwsType.Queue, attachmentType: AwsType.QueuePolicy, attachmentProperty: "queueUrl" };
export const TOPIC_POLICIES: ResourcePolicyKind = { targetType: AwsType.Topic, attachmentType: AwsType.TopicPolicy, attachmentProperty: "arn" };

export interface ResourcePolicies {
    /** Target URN → its documents: its own `policy` (when present) and every attached policy resource's. */
    byTarget: Map<string, PolicyDocument[]>;
    /** Documents of policy resources whose target is unknown and unresolvable: they may govern any target. */
    anyTarget: PolicyDocument[];
}

export function resourcePolicies(index: StackIndex, kind: ResourcePolicyKind): ResourcePolicies {
    const result: ResourcePolicies = { byTarget: new Map(), anyTarget: [] };
    const add = (urn: string, document: PolicyDocument) => {
        const documents = result.byTarget.get(urn);
        if (documents) {
            documents.push(document);
        } else {
            result.byTarget.set(urn, [document]);
        }
    };
    for (const target of index.ofType(kind.targetType)) {
        const document = parsePolicyDocument(target.props.policy);
        if (document.status !== "absent") {
            add(target.urn, document);
        }
    }
    for (const attachment of index.ofType(kind.attachmentType)) {
        const document = parsePolicyDocument(attachment.props.policy);
        const reference: Reference = index.resolve(attachment, kind.attachmentProperty, attachment.props[kind.attachmentProperty], [kind.targetType]);
        if (reference.kind === "resources") {
            reference.targets.forEach((target) => add(target.urn, document));
        } else if (reference.kind === "unresolved") {
            result.anyTarget.push(document);
        }
    }
    return result;
}

/** The documents that (may) govern `urn`. */
export function documentsFor(policies: ResourcePolicies, urn: string): PolicyDocument[] {
    return [...(policies.byTarget.get(urn) ?? []), ...policies.anyTarget];
}

/** What the documents governing a resource say about one requirement. */
export type DocumentsVerdict =
    /** A statement of some document meets it. */
    | "satisfied"
    /** No known statement meets it, but a document is not known until deploy time: it may. */
    | "unknown"
    /** No document governs the resource. */
    | "absent"
    /** Every document present is not a policy document (not JSON, no `Statement`). */
    | "malformed"
    /** Documents are there and none meets it. */
    | "unsatisfied";

export function judgeDocuments(documents: readonly PolicyDocument[], meets: (statement: PolicyStatement) => boolean): DocumentsVerdict {
    if (documents.some((document) => document.statements.some(meets))) {
        return "satisfied";
    }
    if (documents.some((document) => document.status === "unknown")) {
        return "unknown";
    }
    if (documents.length === 0) {
        return "absent";
    }
    return documents.every((document) => document.status === "malformed") ? "malformed" : "unsatisfied";
}
