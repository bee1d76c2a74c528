import { ResourceValidationPolicy } from "@pulumi/policy";
import { parsePolicyDocument, PolicyStatement } from "../lib/policy-document";
import { asArray, isRecord, isUnknown, knownString, plainProps } from "../lib/values";

export interface IamNoWildcardActionsArgs {
    /** Actions that support no narrower resource than `*`, so they may be allowed on `Resource: "*"`. */
    resourceWildcardActions?: string[];
}

/**
 * Compliant: no Allow statement of an IAM identity policy (managed, role, user and group policies,
 * a role's `inlinePolicies`) grants `*` or `<service>:*` (or everything but a `NotAction` list),
 * and `Resource: "*"` is granted only for actions in config `resourceWildcardActions`. Resource
 * policies (KMS key policies, queue and topic policies, trust policies) are not judged: there
 * `kms:*` for the account root is AWS's own default.
 */
export const iamNoWildcardActions: ResourceValidationPolicy = {
    name: "iam-no-wildcard-actions",
    description:
        "Least privilege: a role that may call every action of a service, or an action on every resource, turns one leaked " +
        "credential or one injectable handler into control of the whole account's data in that service.\n" +
        "AWS documentation: https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-full-access.html",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            resourceWildcardActions: {
                type: "array",
                items: { type: "string" },
                default: ["cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "ecr:GetAuthorizationToken"],
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const documents = identityPolicyDocuments(args.type, plainProps(args.props));
        if (documents === undefined) {
            return args.notApplicable("Only IAM identity policies are judged; resource policies such as key policies are not.");
        }
        const { resourceWildcardActions } = args.getConfig<IamNoWildcardActionsArgs>();
        const anyResourceActions = new Set(
            asArray(resourceWildcardActions)
                .map(knownString)
                .filter((action): action is string => action !== undefined)
                .map((action) => action.toLowerCase()),
        );
        for (const { label, document } of documents) {
            parsePolicyDocument(document).statements.forEach((statement, index) => {
                if (statement.effect !== "Allow") {
                    return;
                }
                const where = `${label}, statement ${index + 1}${statement.sid ? ` (Sid "${statement.sid}")` : ""}`;
                for (const problem of statementProblems(statement, anyResourceActions)) {
                    reportViolation(`${where}: ${problem}`);
                }
            });
        }
    },
};

interface LabelledDocument {
    label: string;
    document: unknown;
}

/** The identity policy documents a resource carries, or undefined for a type that carries none. */
function identityPolicyDocuments(type: string, props: Record<string, unknown>): LabelledDocument[] | undefined {
    switch (type) {
        case "aws:iam/policy:Policy":
        case "aws:iam/rolePolicy:RolePolicy":
        case "aws:iam/userPolicy:UserPolicy":
        case "aws:iam/groupPolicy:GroupPolicy":
            return [{ label: "The policy", document: props.policy }];
        case "aws:iam/role:Role":
            // `assumeRolePolicy` is a trust (resource) policy, not a grant of permissions.
            return asArray(props.inlinePolicies).map((inline, i) => {
                const name = isRecord(inline) ? knownString(inline.name) : undefined;
                return { label: `Inline policy ${name ? `'${name}'` : `#${i + 1}`}`, document: isRecord(inline) ? inline.policy : undefined };
            });
        default:
            return undefined;
    }
}

function statementProblems(statement: PolicyStatement, anyResourceActions: ReadonlySet<string>): string[] {
    const problems: string[] = [];
    const actions = statement.actions.filter((action) => !isUnknown(action));
    const wildcards = actions.filter(isWildcardAction);
    if (wildcards.length > 0) {
        problems.push(
            `allows ${wildcards.map((a) => `'${a}'`).join(", ")}, every action${wildcards.some((a) => a.trim() !== "*") ? " of the service" : ""}. ` +
                "List the actions the code calls (e.g. sqs:ReceiveMessage, sqs:DeleteMessage) instead.",
        );
    }
    if (statement.notActions.length > 0) {
        problems.push(
            "allows every action except its NotAction list. Allow the actions the code calls with Action instead.",
        );
    }
    if (statement.resources.includes("*")) {
        const needNarrowerResources = actions.filter((a) => !isWildcardAction(a) && !anyResourceActions.has(a.toLowerCase()));
        if (needNarrowerResources.length > 0) {
            problems.push(
                `allows ${needNarrowerResources.map((a) => `'${a}'`).join(", ")} on Resource "*". Name the ARNs these actions ` +
                    "need (the queue, the table, the log group); only actions listed in this policy's resourceWildcardActions may use \"*\".",
            );
        }
    }
    return problems;
}

/** `*` or `<service>:*`: every action, or every action of a service. */
function isWildcardAction(action: string): boolean {
    return action.trim() === "*" || /^[^:*]+:\*$/.test(action.trim());
}
