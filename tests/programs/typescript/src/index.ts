import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { OrderQueue } from "./order-queue";

const config = new pulumi.Config();
const tags = { Project: "orders", Environment: pulumi.getStack(), Owner: config.require("team") };

const orders = new OrderQueue("orders", { tags });
const events = new aws.sns.Topic("order-events", { tags }); // expect: sns-topic-encrypted sns-topic-tls-only

export const queueUrl = orders.url;
export const topicArn = events.arn;
