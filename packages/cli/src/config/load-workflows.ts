import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { AnyWorkflow } from "@durable/core";
import { CliError } from "../cli-error.js";
import { forgetUserModules, importModule, type LoadedConfig } from "./load-config.js";

function isWorkflow(value: unknown): value is AnyWorkflow {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "workflow" &&
    typeof (value as { name?: unknown }).name === "string"
  );
}

/** Options of `loadWorkflows`. */
export interface LoadWorkflowsOptions {
  /** Import the modules and everything they import afresh, not from the cache (`durable dev` reloads). */
  fresh?: boolean;
  /** Called with each module (as the config names it) that exports no workflow. */
  onEmptyModule?: (module: string) => void;
}

/**
 * Imports the config's workflow modules and collects every exported workflow (`kind === "workflow"`).
 * Two different workflows with one name are refused, naming both modules.
 * @example
 * const workflows = await loadWorkflows(loaded); // [hello, orderFulfilment, ...]
 */
export async function loadWorkflows(
  loaded: LoadedConfig,
  options: LoadWorkflowsOptions = {},
): Promise<AnyWorkflow[]> {
  const shownConfig = relative(process.cwd(), loaded.file) || loaded.file;
  const found = new Map<string, { workflow: AnyWorkflow; module: string }>();
  if (options.fresh) forgetUserModules();
  for (const [index, path] of loaded.config.workflows.entries()) {
    const file = resolve(loaded.root, path);
    if (!existsSync(file)) throw new CliError(`${shownConfig}: workflows.${index}: no such file ${file}`);
    let mod: Record<string, unknown>;
    try {
      mod = await importModule(file);
    } catch (error) {
      throw new CliError(`could not load ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const exported = Object.values(mod).filter(isWorkflow);
    if (exported.length === 0) options.onEmptyModule?.(path);
    for (const value of exported) {
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
