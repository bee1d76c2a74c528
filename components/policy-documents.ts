/**
 * Statements shared by the resource policies of the pipeline. Plain data, so components compose
 * them and tests can read them back from the registered JSON.
 */
import * as pulumi from "@pulumi/pulumi";

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | { Service: string } | { AWS: pulumi.Input<string> };
    Action: string | string[];
    Resource: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: Record<string, Record<string, pulumi.Input<string>>>;
}

/** Deny every request that does not use TLS: encryption in transit is enforced by the resource, not hoped for. */
export function denyInsecureTransport(action: string, resource: pulumi.Input<string>): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: action,
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/** A policy document as the JSON text AWS expects, resolved once every ARN in it is known. */
export function policyDocument(statements: PolicyStatement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}
