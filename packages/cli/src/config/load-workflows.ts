import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { AnyWorkflow } from "@durable/core";
import { CliError } from "../cli-error.js";
import { importModule, type LoadedConfig } from "./load-config.js";

function isWorkflow(value: unknown): value is AnyWorkflow {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "workflow" &&
    typeof (value as { name?: unknown }).name === "string"
  );
}

/**
 * Imports the config's workflow modules and collects every exported workflow (`kind === "workflow"`).
 * Two different workflows with one name are refused, naming both modules.
 * @example
 * const workflows = await loadWorkflows(loaded); // [hello, orderFulfilment, ...]
 */
export async function loadWorkflows(loaded: LoadedConfig): Promise<AnyWorkflow[]> {
  const shownConfig = relative(process.cwd(), loaded.file) || loaded.file;
  const found = new Map<string, { workflow: AnyWorkflow; module: string }>();
  for (const [index, path] of loaded.config.workflows.entries()) {
    const file = resolve(loaded.root, path);
    if (!existsSync(file)) throw new CliError(`${shownConfig}: workflows.${index}: no such file ${file}`);
    let mod: Record<string, unknown>;
    try {
      mod = await importModule(file);
    } catch (error) {
      throw new CliError(`could not load ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const value of Object.values(mod)) {
      if (!isWorkflow(value)) continue;
      const seen = found.get(value.name);
      if (seen && seen.workflow !== value) {
        throw new CliError(
          `two workflows are named "${value.name}" (in ${seen.module} and ${path}); workflow names must be unique`,
        );
      }
      found.set(value.name, { workflow: value, module: path });
    }
  }
  return [...found.values()].map((f) => f.workflow);
}
