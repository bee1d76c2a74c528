/**
 * Reads a stack's config the way the Pulumi CLI does, from `Pulumi.yaml` and `Pulumi.<stack>.yaml`:
 * project-level defaults first, the stack file over them. Values become what the program sees
 * under the CLI: strings, with objects and lists as JSON text. A `secure:` value cannot be
 * decrypted offline; it becomes an opaque placeholder marked secret.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";

export interface StackConfig {
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
}

export class StackFileError extends Error {}

/** Stack names with a `Pulumi.<name>.yaml` in `root`. */
export function listStacks(root: string): string[] {
    return fs
        .readdirSync(root)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((name): name is string => name !== undefined)
        .sort();
}

function readYaml(file: string): unknown {
    try {
        return YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new StackFileError(`${path.basename(file)} is not valid YAML: ${(e as Error).message}`);
    }
}

function toConfigText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

interface ProjectFile {
    name: string;
    config: Record<string, unknown>;
}

/** `<root>/Pulumi.yaml`; like the CLI, refuses one without a name (config keys are namespaced by it). */
function readProjectFile(root: string): ProjectFile {
    const project = readYaml(path.join(root, "Pulumi.yaml")) as { name?: unknown; config?: Record<string, unknown> } | null;
    if (typeof project?.name !== "string" || project.name === "") {
        throw new StackFileError(`Pulumi.yaml in ${root} has no name: add a line \`name: <project>\``);
    }
    return { name: project.name, config: project.config ?? {} };
}

/** The project's name, from `<root>/Pulumi.yaml`. */
export function readProjectName(root: string): string {
    return readProjectFile(root).name;
}

export function readStackConfig(root: string, stack: string): StackConfig {
    const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        const stacks = listStacks(root);
        throw new StackFileError(`No stack "${stack}": Pulumi.${stack}.yaml does not exist. Stacks here: ${stacks.length > 0 ? stacks.join(", ") : "none"}.`);
    }
    const project = readProjectFile(root);
    const projectName = project.name;
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, declaration] of Object.entries(project.config)) {
        const fullKey = key.includes(":") ? key : `${projectName}:${key}`;
        const value = declaration !== null && typeof declaration === "object" && "default" in declaration ? (declaration as { default: unknown }).default : undefined;
        if (value !== undefined) {
            config[fullKey] = toConfigText(value);
        }
    }
    const stackDoc = readYaml(stackFile) as { config?: Record<string, unknown> } | null;
    for (const [key, value] of Object.entries(stackDoc?.config ?? {})) {
        const fullKey = key.includes(":") ? key : `${projectName}:${key}`;
        if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value) {
            config[fullKey] = "[secret]";
            secretKeys.push(fullKey);
        } else {
            config[fullKey] = toConfigText(value);
        }
    }
    return { stack, config, secretKeys };
}
