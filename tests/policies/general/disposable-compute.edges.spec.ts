import assert from "node:assert/strict";
import { disposableCompute } from "../../../policies/general/disposable-compute";
import { UNKNOWN, validateResource } from "../harness";

const service = (props: Record<string, unknown>) => ({
    type: "aws:ecs/service:Service",
    props: { deploymentCircuitBreaker: { enable: true, rollback: true }, ...props },
});

describe("disposable-compute: an empty launchType", () => {
    it("is not set: the capacity provider strategy decides (Fargate passes)", async () => {
        const fargate = service({ launchType: "", capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }] });
        assert.deepEqual(await validateResource(disposableCompute, fargate), []);
    });

    it("is not set: without a strategy the service does not run on Fargate", async () => {
        const violations = await validateResource(disposableCompute, service({ launchType: "" }));
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /does not run on Fargate\. Set launchType: "FARGATE" or a capacityProviderStrategies of only FARGATE\/FARGATE_SPOT, so there are no container instances to patch and scale\./);
    });
});

describe("disposable-compute: a circuit breaker half unknown during preview", () => {
    for (const [breaker, flagged] of [
        [{ enable: false, rollback: UNKNOWN }, true],
        [{ enable: UNKNOWN, rollback: false }, true],
        [{ enable: true, rollback: UNKNOWN }, false],
        [{ enable: UNKNOWN, rollback: true }, false],
    ] as const) {
        it(`${JSON.stringify(breaker)}: ${flagged ? "a known false decides" : "cannot be judged yet"}`, async () => {
            const violations = await validateResource(disposableCompute, service({ launchType: "FARGATE", deploymentCircuitBreaker: breaker }));
            assert.equal(violations.length, flagged ? 1 : 0);
            if (flagged) {
                assert.match(violations[0]!.message, /^The ECS service's deployment circuit breaker is not enabled with rollback\. Set deploymentCircuitBreaker: \{ enable: true, rollback: true \} so a deployment whose tasks keep failing is rolled back automatically\.$/);
            }
        });
    }
});
