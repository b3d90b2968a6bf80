import type { Command } from "commander";

/** An option as completion offers it. */
export interface OptionSpec {
  flag: string;
  description: string;
  /** True when it takes a value. */
  takesValue: boolean;
  /** The values it accepts, when it names them (`--status`). */
  choices: string[];
}

/** A command as completion offers it. */
export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** Words for its first argument, when they are fixed (`completion bash|zsh|fish`). */
  arguments: string[];
}

/**
 * The commands of the program and their long options, read from commander's tree: completion scripts
 * are generated from it, so they never fall behind the commands.
 * @example
 * commandTree(createProgram()); // [{ name: "worker", options: [{ flag: "--concurrency", ... }] }, ...]
 */
export function commandTree(program: Command): CommandSpec[] {
  return program.commands.map((command) => ({
    name: command.name(),
    description: command.description(),
    options: [
      ...command.options
        .filter((o) => o.long !== undefined && !o.hidden)
        .map((o) => ({
          flag: o.long as string,
          description: o.description,
          takesValue: o.required || o.optional,
          choices: o.argChoices ?? [],
        })),
      { flag: "--help", description: "display help for command", takesValue: false, choices: [] },
    ],
    arguments: command.registeredArguments.flatMap((a) => a.argChoices ?? []),
  }));
}
