import { WorkerImage, WorkerImageArgs } from "../../../components/worker-image";
import { fixtureArgs, withProvider } from "./fixture";

const image = new WorkerImage("worker", fixtureArgs<WorkerImageArgs>({ context: ".", dockerfile: "consumers/worker/Dockerfile", persistent: false }), withProvider());

export const imageUri = image.imageUri;
export const repositoryUrl = image.repositoryUrl;
