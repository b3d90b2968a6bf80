import type { CommandSpec } from "./command-tree.js";

/** The shells `durable completion` writes a script for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

function words(list: readonly string[]): string {
  return list.join(" ");
}

function bash(commands: readonly CommandSpec[]): string {
  const cases = commands.map((c) => {
    const values = c.options
      .filter((o) => o.choices.length > 0)
      .map((o) => `      ${o.flag}) COMPREPLY=($(compgen -W "${words(o.choices)}" -- "$cur")); return ;;`);
    const args = c.arguments.length > 0 ? words(c.arguments) : "";
    return [
      `    ${c.name})`,
      ...(values.length > 0 ? ['      case "$prev" in', ...values.map((v) => `  ${v}`), "      esac"] : []),
      `      COMPREPLY=($(compgen -W "${words([...c.options.map((o) => o.flag), ...(args ? [args] : [])])}" -- "$cur")) ;;`,
    ].join("\n");
  });
  return `# durable completion for bash: source <(durable completion bash), or save it to
# ~/.local/share/bash-completion/completions/durable
_durable_completion() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${words([...commands.map((c) => c.name), "--help", "--version"])}" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join("\n")}
  esac
}
complete -o default -F _durable_completion durable
`;
}

// zsh's _arguments and _describe read ':' and brackets as syntax.
function zshText(text: string): string {
  return text.replace(/[[\]:'\\]/g, (ch) => (ch === "'" ? "'\\''" : `\\${ch}`));
}

function zsh(commands: readonly CommandSpec[]): string {
  const described = commands.map((c) => `    '${zshText(c.name)}:${zshText(c.description)}'`);
  const cases = commands.map((c) => {
    const specs = c.options.map((o) => {
      const value = o.takesValue ? `:value:${o.choices.length > 0 ? `(${o.choices.join(" ")})` : ""}` : "";
      return `'${o.flag}[${zshText(o.description)}]${value}'`;
    });
    const args = c.arguments.length > 0 ? [`'1:argument:(${c.arguments.join(" ")})'`] : [];
    return `    ${c.name}) _arguments ${[...specs, ...args, "'*::file:_files'"].join(" \\\n      ")} ;;`;
  });
  return `#compdef durable
# durable completion for zsh: source <(durable completion zsh), or save it as _durable in your $fpath
_durable() {
  local -a commands
  commands=(
${described.join("\n")}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local command=$words[2]
  shift words
  (( CURRENT-- ))
  case $command in
${cases.join("\n")}
  esac
}
compdef _durable durable
`;
}

function fishText(text: string): string {
  return text.replace(/[\\']/g, (ch) => `\\${ch}`);
}

function fish(commands: readonly CommandSpec[]): string {
  const lines = ["complete -c durable -f"];
  for (const c of commands) {
    lines.push(`complete -c durable -n __fish_use_subcommand -a ${c.name} -d '${fishText(c.description)}'`);
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    for (const o of c.options) {
      const values = o.choices.length > 0 ? ` -a '${o.choices.join(" ")}'` : "";
      lines.push(
        `complete -c durable ${when} -l ${o.flag.slice(2)}${o.takesValue ? " -r" : ""}${values} -d '${fishText(o.description)}'`,
      );
    }
    if (c.arguments.length > 0) lines.push(`complete -c durable ${when} -a '${c.arguments.join(" ")}'`);
  }
  return `# durable completion for fish: durable completion fish > ~/.config/fish/completions/durable.fish
${lines.join("\n")}
`;
}

/**
 * The completion script for a shell, generated from the commands and their options.
 * @example
 * process.stdout.write(completionScript("bash", commandTree(program)));
 */
export function completionScript(shell: Shell, commands: readonly CommandSpec[]): string {
  if (shell === "bash") return bash(commands);
  if (shell === "zsh") return zsh(commands);
  return fish(commands);
}
