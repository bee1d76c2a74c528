import assert from "node:assert/strict";
import { ProgramRun } from "../../tools/mock-runtime";
import { one, runFixture, TYPES } from "../support/recorded";

describe("components/worker-image: WorkerImage", () => {
    let disposable: ProgramRun;
    let persistent: ProgramRun;

    before(async () => {
        disposable = await runFixture("worker-image", { context: "build-root", dockerfile: "consumers/worker/Dockerfile", persistent: false });
        persistent = await runFixture("worker-image", { context: "build-root", dockerfile: "consumers/worker/Dockerfile", persistent: true });
    });

    it("lets a disposable stack delete the repository with its images, and a persistent one not", () => {
        assert.equal(one(disposable, TYPES.repository, "worker").inputs.forceDelete, true);
        assert.equal(one(persistent, TYPES.repository, "worker").inputs.forceDelete, false);
    });

    it("keeps tags immutable, scans on push and encrypts the repository", () => {
        const repository = one(disposable, TYPES.repository).inputs;
        assert.equal(repository.imageTagMutability, "IMMUTABLE");
        assert.deepEqual(repository.imageScanningConfiguration, { scanOnPush: true });
        assert.deepEqual(repository.encryptionConfigurations, [{ encryptionType: "AES256" }]);
    });

    it("builds the context and Dockerfile it is given for linux/amd64 (the task's platform) and pushes it to that repository", () => {
        const repository = one(disposable, TYPES.repository);
        const image = one(disposable, TYPES.image, "worker");
        assert.equal(image.inputs.context, "build-root");
        assert.equal(image.inputs.dockerfile, "consumers/worker/Dockerfile");
        assert.equal(image.inputs.platform, "linux/amd64");
        assert.equal(image.inputs.repositoryUrl, repository.outputs.repositoryUrl);
        const component = one(disposable, TYPES.workerImage, "worker");
        assert.equal(image.parent, component.urn);
        assert.equal(repository.parent, component.urn);
    });

    it("exports the pushed image's URI and the repository URL", () => {
        assert.equal(disposable.outputs.imageUri, one(disposable, TYPES.image).outputs.imageUri);
        assert.equal(disposable.outputs.repositoryUrl, one(disposable, TYPES.repository).outputs.repositoryUrl);
    });
});
