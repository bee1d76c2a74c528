import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

export interface WorkerImageArgs {
    /** The Docker build context: the repository root, since the worker shares `consumers/shared/` with the Lambda consumer. */
    context: string;
    /** The Dockerfile, relative to the context. */
    dockerfile: string;
    /** Persistent stacks keep their images; disposable stacks delete the repository with its images. */
    persistent: boolean;
}

/**
 * The worker's image, built from its Dockerfile and pushed to an ECR repository of the stack
 * by awsx (Docker is needed at deploy time only; under mocks the image is one opaque resource).
 */
export class WorkerImage extends pulumi.ComponentResource {
    /** The pushed image, by digest: what `QueueWorkerService.image` takes. */
    public readonly imageUri: pulumi.Output<string>;
    /** The ECR repository the image is pushed to. */
    public readonly repositoryUrl: pulumi.Output<string>;

    constructor(name: string, args: WorkerImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("event-pipeline:compute:WorkerImage", name, {}, opts);

        const repository = new aws.ecr.Repository(
            name,
            {
                forceDelete: !args.persistent,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "AES256" }],
            },
            { parent: this },
        );
        const image = new awsx.ecr.Image(
            name,
            { repositoryUrl: repository.repositoryUrl, context: args.context, dockerfile: args.dockerfile, platform: "linux/amd64" },
            { parent: this },
        );

        this.imageUri = image.imageUri;
        this.repositoryUrl = repository.repositoryUrl;
        this.registerOutputs({ imageUri: this.imageUri, repositoryUrl: this.repositoryUrl });
    }
}
