import assert from "node:assert/strict";
import { requiredTags } from "../../../policies/general/required-tags";
import { validateResource } from "../harness";

const queue = (tags: Record<string, string>) => ({ type: "aws:sqs/queue:Queue", props: { name: "orders", tags } });

describe("required-tags: the message says only what is wrong", () => {
    it("an empty value alone: no 'lacks' clause", async () => {
        const violations = await validateResource(requiredTags, queue({ Project: "event-pipeline", Environment: "dev", Owner: " " }));
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /^aws:sqs\/queue:Queue has an empty value for Owner\. Set them once/);
    });

    it("lists every empty value", async () => {
        const [violation] = await validateResource(requiredTags, queue({ Project: "", Environment: "dev", Owner: "" }));
        assert.match(violation!.message, /^aws:sqs\/queue:Queue has an empty value for Project, Owner\. /);
    });

    it("one missing tag is singular, several plural, and both problems are joined", async () => {
        const [one] = await validateResource(requiredTags, queue({ Project: "event-pipeline", Environment: "dev" }));
        assert.match(one!.message, /^aws:sqs\/queue:Queue lacks the required tag Owner\. /);
        const [both] = await validateResource(requiredTags, queue({ Project: "" }));
        assert.match(both!.message, /^aws:sqs\/queue:Queue lacks the required tags Environment, Owner and has an empty value for Project\. /);
    });
});
