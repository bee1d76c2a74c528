// The pack starts its gRPC server on construction, so nothing but this file builds it:
// tests and tools import the list from ./policies instead.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("event-pipeline-guardrails", { policies });
