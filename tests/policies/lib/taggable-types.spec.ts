import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { TAGGABLE_TYPES } from "../../../policies/lib/taggable-types";
import {
    findTaggableTypes,
    GENERATED_MODULE_PATH,
    installedAwsPackageDir,
    installedAwsVersion,
    renderTaggableTypesModule,
} from "../../../policies/scripts/generate-taggable-types";

describe("taggable-types", () => {
    it("the committed module matches the installed @pulumi/aws", () => {
        const awsDir = installedAwsPackageDir();
        const expected = renderTaggableTypesModule(findTaggableTypes(awsDir), installedAwsVersion(awsDir));
        const committed = fs.readFileSync(GENERATED_MODULE_PATH, "utf8");
        assert.ok(
            committed === expected,
            `${path.relative(process.cwd(), GENERATED_MODULE_PATH)} is out of date with @pulumi/aws ${installedAwsVersion(awsDir)}: ` +
                "run npx ts-node policies/scripts/generate-taggable-types.ts and commit the result.",
        );
    });

    it("holds the taggable types of the pipeline, aliases included", () => {
        for (const type of [
            "aws:sqs/queue:Queue",
            "aws:sns/topic:Topic",
            "aws:lambda/function:Function",
            "aws:cloudwatch/logGroup:LogGroup",
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "aws:ecs/cluster:Cluster",
            "aws:ecs/service:Service",
            "aws:iam/role:Role",
            "aws:s3/bucket:Bucket",
            "aws:s3/bucketV2:BucketV2",
            "aws:autoscaling/group:Group",
        ]) {
            assert.ok(TAGGABLE_TYPES.has(type), type);
        }
    });

    it("leaves out types that take no tags or take a tag filter", () => {
        for (const type of [
            "aws:sns/topicSubscription:TopicSubscription",
            "aws:sqs/queuePolicy:QueuePolicy",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:lambda/permission:Permission",
            "aws:devopsguru/resourceCollection:ResourceCollection",
            "pulumi:providers:aws",
        ]) {
            assert.ok(!TAGGABLE_TYPES.has(type), type);
        }
    });

    it("is a sorted list of AWS type tokens", () => {
        const tokens = [...TAGGABLE_TYPES];
        assert.ok(tokens.length > 500);
        assert.deepEqual(tokens, [...tokens].sort());
        assert.ok(tokens.every((token) => /^aws:[\w-]+\/\w+:\w+$/.test(token)), "every token is aws:<module>/<name>:<Type>");
    });

    it("the pack never loads @pulumi/aws at run time (it takes seconds to load)", () => {
        const packRoot = path.join(__dirname, "..", "..", "..", "policies");
        const offenders = sourceFiles(packRoot).filter((file) => /(from\s+|require\(\s*)["']@pulumi\/aws["'/]/.test(fs.readFileSync(file, "utf8")));
        assert.deepEqual(offenders, []);
    });
});

/** The pack's TypeScript sources, except the generator (which reads @pulumi/aws's files, never loads it). */
function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return ["node_modules", "bin", "scripts"].includes(entry.name) ? [] : sourceFiles(full);
        }
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}
