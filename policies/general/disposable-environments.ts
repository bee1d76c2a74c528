import { ResourceValidationPolicy } from "@pulumi/policy";
import { parseResourceUrn } from "../lib/resource-urn";
import { asArray, isUnknown, knownBoolean, knownString, plainProps } from "../lib/values";

export interface DisposableEnvironmentsArgs {
    /** Stacks whose resources are meant to outlive `pulumi destroy` (protection and non-empty buckets allowed). */
    persistentStacks?: string[];
}

/**
 * Compliant: in a stack not listed in config `persistentStacks` (the stack read from the URN), no
 * resource is protected, S3 buckets set `forceDestroy: true` and ECR repositories
 * `forceDelete: true`. Resources of persistent stacks are not applicable.
 */
export const disposableEnvironments: ResourceValidationPolicy = {
    name: "disposable-environments",
    description:
        "Development and preview stacks must come down with one `pulumi destroy`: a protected resource, a bucket with objects " +
        "or a repository with images makes destroy fail halfway and leaves orphans that keep costing money.\n" +
        "AWS documentation: https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-bucket.html",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            persistentStacks: { type: "array", items: { type: "string" }, default: ["prod"] },
        },
    },
    validateResource: (args, reportViolation) => {
        const stack = parseResourceUrn(args.urn)?.stack;
        const { persistentStacks } = args.getConfig<DisposableEnvironmentsArgs>();
        const persistent = new Set(asArray(persistentStacks).map(knownString));
        if (stack === undefined || persistent.has(stack)) {
            return args.notApplicable(stack === undefined ? "The stack cannot be read from the URN." : `Stack '${stack}' is persistent.`);
        }
        if (args.opts.protect === true) {
            reportViolation(
                `The resource is protected in the disposable stack '${stack}', so \`pulumi destroy\` fails on it. Remove ` +
                    "`protect: true` (set it only for stacks listed in this policy's persistentStacks).",
            );
        }
        const props = plainProps(args.props);
        const emptiedOnDestroy = EMPTIED_ON_DESTROY[args.type];
        if (emptiedOnDestroy !== undefined && knownBoolean(props[emptiedOnDestroy]) !== true && !isUnknown(props[emptiedOnDestroy])) {
            reportViolation(
                `${args.type} in the disposable stack '${stack}' does not set ${emptiedOnDestroy}: true, so \`pulumi destroy\` ` +
                    `fails once it holds anything. Set ${emptiedOnDestroy}: true for stacks not listed in persistentStacks.`,
            );
        }
    },
};

/** The flag that lets a container resource be deleted with its contents. */
const EMPTIED_ON_DESTROY: Record<string, string> = {
    "aws:s3/bucket:Bucket": "forceDestroy",
    "aws:s3/bucketV2:BucketV2": "forceDestroy",
    "aws:ecr/repository:Repository": "forceDelete",
};

