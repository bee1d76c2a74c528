import { AlarmTopic, AlarmTopicArgs } from "../../../components/alarm-topic";
import { fixtureArgs, withProvider } from "./fixture";

const alarms = new AlarmTopic("alarms", fixtureArgs<AlarmTopicArgs>({ emails: [] }), withProvider());

export const topicArn = alarms.topicArn;
export const keyArn = alarms.keyArn;
