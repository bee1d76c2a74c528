import { EventTopic, EventTopicArgs } from "../../../components/event-topic";
import { fixtureArgs, withProvider } from "./fixture";

const topic = new EventTopic("events", fixtureArgs<EventTopicArgs>({ protect: false }), withProvider());

export const topicArn = topic.topicArn;
export const topicName = topic.topicName;
