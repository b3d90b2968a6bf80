import { Argument, type Command } from "commander";
import { commandTree } from "../completion/command-tree.js";
import { completionScript, SHELLS, type Shell } from "../completion/completion-script.js";

/**
 * `durable completion bash|zsh|fish`: prints a shell completion script for the commands and their
 * options (`source <(durable completion bash)`).
 * @example
 * registerCompletion(program); // durable completion zsh > ~/.zfunc/_durable
 */
export function registerCompletion(program: Command): void {
  program
    .command("completion")
    .description("print a shell completion script (source <(durable completion bash))")
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell, commandTree(program)));
    });
}
