import assert from "node:assert/strict";
import { isSecretReference } from "../../../policies/lib/secret-names";

describe("isSecretReference: what counts as a reference", () => {
    it("an ARN of any partition, and surrounding blanks, still refer", () => {
        assert.equal(isSecretReference("arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:db-AbCdEf"), true);
        assert.equal(isSecretReference("arn:aws-cn:ssm:cn-north-1:123456789012:parameter/db"), true);
        assert.equal(isSecretReference("  arn:aws:ssm:us-east-1:123456789012:parameter/db  "), true);
        assert.equal(isSecretReference(" {{resolve:ssm-secure:db-password}}"), true);
    });

    it("a value that only mentions a reference after other text is the secret itself", () => {
        assert.equal(isSecretReference("hunter2 arn:aws:secretsmanager:us-east-1:123456789012:secret:db"), false);
        assert.equal(isSecretReference("pw={{resolve:secretsmanager:db}}"), false);
        assert.equal(isSecretReference("arn:aws:secretsmanager-x:us-east-1:1:secret:db"), false);
    });
});
