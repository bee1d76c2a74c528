import assert from "node:assert/strict";
import { LOG_RETENTION_DAYS, logRetentionProblems } from "../../components/log-retention";

describe("components/log-retention", () => {
    it("lists CloudWatch Logs' retention values, from a day to ten years", () => {
        assert.equal(LOG_RETENTION_DAYS.length, 22);
        assert.equal(LOG_RETENTION_DAYS[0], 1);
        assert.equal(LOG_RETENTION_DAYS.at(-1), 3653);
        assert.deepEqual([...LOG_RETENTION_DAYS].sort((a, b) => a - b), [...LOG_RETENTION_DAYS]);
    });

    it("accepts every retention value", () => {
        for (const logRetentionDays of LOG_RETENTION_DAYS) {
            assert.deepEqual(logRetentionProblems({ logRetentionDays }), [], String(logRetentionDays));
        }
    });

    it("refuses any other number, never expiring (0) included, listing the values CloudWatch Logs accepts", () => {
        for (const logRetentionDays of [0, 2, 15, 3654, 14.5, Number.NaN]) {
            assert.deepEqual(
                logRetentionProblems({ logRetentionDays }),
                [["logRetentionDays", `must be one of CloudWatch Logs' retention values: ${LOG_RETENTION_DAYS.join(", ")}`]],
                String(logRetentionDays),
            );
        }
    });
});
