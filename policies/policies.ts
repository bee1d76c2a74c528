import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** Every policy of the pack, in the order `pulumi preview` reports them. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [];
