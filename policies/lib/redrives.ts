/**
 * Which queues of a stack have a dead-letter queue, and which queues are one: from each queue's
 * own `redrivePolicy` and from `aws:sqs/redrivePolicy:RedrivePolicy` resources, computed once per
 * stack policy call on top of `StackIndex`.
 */
import { AwsType } from "./aws-types";
import { IndexedResource, StackIndex } from "./stack";
import { isRecord, isUnknown, parseJsonValue } from "./values";

export interface Redrives {
    /** Queues named as the dead-letter queue of some redrive policy. */
    deadLetterQueues: Set<string>;
    /** A redrive policy's target is unknown and unresolvable: any queue may be a dead-letter queue. */
    anyQueueMayBeDeadLetter: boolean;
    /** Queues whose redrive policy (own `redrivePolicy` or a `RedrivePolicy` resource) names a dead-letter queue, or is unknown. */
    queuesWithRedrive: Set<string>;
    /** A `RedrivePolicy` resource's queue is unknown and unresolvable: any queue may have it. */
    anyQueueMayHaveRedrive: boolean;
    /** Queues whose own `redrivePolicy` is present but not a JSON object naming a dead-letter queue (for the message). */
    malformedRedrive: Set<string>;
}

/** The dead-letter target named by a `redrivePolicy` value: the unknown sentinel, a value, or undefined when it names none. */
export function deadLetterTarget(redrivePolicy: unknown): { target: unknown; malformed: boolean } {
    if (isUnknown(redrivePolicy)) {
        return { target: redrivePolicy, malformed: false };
    }
    if (redrivePolicy === undefined || redrivePolicy === null || redrivePolicy === "") {
        return { target: undefined, malformed: false };
    }
    const parsed = parseJsonValue(redrivePolicy);
    if (!isRecord(parsed)) {
        return { target: undefined, malformed: true };
    }
    const key = Object.keys(parsed).find((candidate) => candidate.toLowerCase() === "deadlettertargetarn");
    const target = key === undefined ? undefined : parsed[key];
    const names = isUnknown(target) || (typeof target === "string" && target !== "");
    return { target: names ? target : undefined, malformed: !names };
}

export function redrives(index: StackIndex): Redrives {
    const result: Redrives = {
        deadLetterQueues: new Set(),
        anyQueueMayBeDeadLetter: false,
        queuesWithRedrive: new Set(),
        anyQueueMayHaveRedrive: false,
        malformedRedrive: new Set(),
    };
    const noteTarget = (from: IndexedResource, target: unknown): void => {
        const reference = index.resolve(from, "redrivePolicy", target, [AwsType.Queue]);
        if (reference.kind === "resources") {
            reference.targets.forEach((queue) => result.deadLetterQueues.add(queue.urn));
        } else if (reference.kind === "unresolved") {
            result.anyQueueMayBeDeadLetter = true;
        }
    };
    for (const queue of index.ofType(AwsType.Queue)) {
        const { target, malformed } = deadLetterTarget(queue.props.redrivePolicy);
        if (malformed) {
            result.malformedRedrive.add(queue.urn);
        }
        if (target !== undefined) {
            result.queuesWithRedrive.add(queue.urn);
            noteTarget(queue, target);
        }
    }
    for (const policy of index.ofType(AwsType.RedrivePolicy)) {
        const { target } = deadLetterTarget(policy.props.redrivePolicy);
        if (target === undefined) {
            continue;
        }
        noteTarget(policy, target);
        const source = index.resolve(policy, "queueUrl", policy.props.queueUrl, [AwsType.Queue]);
        if (source.kind === "resources") {
            source.targets.forEach((queue) => result.queuesWithRedrive.add(queue.urn));
        } else if (source.kind === "unresolved") {
            result.anyQueueMayHaveRedrive = true;
        }
    }
    return result;
}
