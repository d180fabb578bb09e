/**
 * `k3s completion bash|zsh`: a shell completion script for the command tree — subcommands at each
 * level, each command's flags, argument choices, and file names after a flag that takes a value.
 * Load it with `source <(k3s completion bash)`.
 *
 * @module
 */
import process from "node:process";
import { Argument, Command, Help, type Option } from "commander";
import { CliError } from "./errors.ts";
import { specOf } from "./flag.ts";
import { k3sHelp } from "./help.ts";

/** The shells a script can be printed for. */
export const SHELLS = ["bash", "zsh"] as const;

/** What completes after one command path. */
interface Level {
  path: string;
  words: string[];
  valueFlags: string[];
  subcommands: string[];
}

function takesValue(option: Option): boolean {
  const spec = specOf(option);
  return spec ? spec.type !== "bool" : option.required || option.optional;
}

function spellings(option: Option): string[] {
  return [option.long, option.short].filter((name): name is string => Boolean(name));
}

function levels(command: Command, path = ""): Level[] {
  const help = new Help();
  const options = help.visibleOptions(command);
  const subcommands = help.visibleCommands(command).map((c) => c.name());
  const choices = command.registeredArguments.flatMap((argument) => argument.argChoices ?? []);
  const level: Level = {
    path,
    words: [...subcommands, ...choices, ...options.flatMap(spellings)],
    valueFlags: options.filter(takesValue).flatMap(spellings),
    subcommands,
  };
  return [
    level,
    ...help.visibleCommands(command).filter((c) => command.commands.includes(c))
      .flatMap((c) => levels(c, path ? `${path} ${c.name()}` : c.name())),
  ];
}

function bash(name: string, tree: Level[]): string {
  const paths = tree.filter((l) => l.path).map((l) => `"${l.path}"`).join("|");
  const cases = tree.map((l) =>
    [
      `    "${l.path}")`,
      `      values="${l.valueFlags.join(" ")}"`,
      `      words="${l.words.join(" ")}"`,
      `      ;;`,
    ].join("\n")
  ).join("\n");
  return `# bash completion for ${name}; load it with: source <(${name} completion bash)
_${name}_completion() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local cmdpath="" word i values="" words=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "\${cmdpath:+\$cmdpath }\$word" in
      ${paths || '""'}) cmdpath="\${cmdpath:+\$cmdpath }\$word" ;;
    esac
  done
  case "\$cmdpath" in
${cases}
  esac
  # After a flag that takes a value, or with nothing to offer, bash completes file names (-o default).
  case " \$values " in *" \$prev "*) COMPREPLY=(); return 0 ;; esac
  COMPREPLY=(\$(compgen -W "\$words" -- "\$cur"))
}
complete -o default -F _${name}_completion ${name}
`;
}

function zsh(name: string, tree: Level[]): string {
  const paths = tree.filter((l) => l.path).map((l) => `"${l.path}"`).join("|");
  const cases = tree.map((l) =>
    [
      `    ("${l.path}")`,
      `      values=(${l.valueFlags.join(" ")})`,
      `      candidates=(${l.words.join(" ")})`,
      `      ;;`,
    ].join("\n")
  ).join("\n");
  return `#compdef ${name}
# zsh completion for ${name}; load it with: source <(${name} completion zsh)
_${name}() {
  local cmdpath="" word i
  local -a values candidates
  for ((i = 2; i < CURRENT; i++)); do
    word=\${words[i]}
    case "\${cmdpath:+\$cmdpath }\$word" in
      (${paths || '""'}) cmdpath="\${cmdpath:+\$cmdpath }\$word" ;;
    esac
  done
  case "\$cmdpath" in
${cases}
  esac
  if (( \${values[(Ie)\${words[CURRENT-1]}]} )) || (( \${#candidates} == 0 )); then
    _files
    return
  fi
  compadd -- \$candidates
}
compdef _${name} ${name}
`;
}

/**
 * The completion script for `shell` over `program`'s command tree.
 *
 * @example
 * ```ts
 * console.log(completionScript("bash", buildCli()));
 * ```
 */
export function completionScript(shell: string, program: Command): string {
  const tree = levels(program);
  if (shell === "bash") return bash(program.name(), tree);
  if (shell === "zsh") return zsh(program.name(), tree);
  throw new CliError(`cannot complete for shell "${shell}": k3s completion supports ${SHELLS.join(" and ")}`);
}

/**
 * The `k3s completion` subcommand; it prints the script for the program it is part of.
 *
 * @example
 * ```ts
 * program.addCommand(completionCommand());
 * ```
 */
export function completionCommand(): Command {
  const command: Command = new Command("completion")
    .description("Print a shell completion script (bash or zsh)")
    .usage("bash|zsh")
    .helpOption("-h, --help", "show help")
    .configureHelp({ formatHelp: k3sHelp })
    .addArgument(new Argument("<shell>", "the shell to complete for").choices(SHELLS))
    .action((shell: string) => {
      let root = command;
      while (root.parent) root = root.parent;
      process.stdout.write(completionScript(shell, root));
    });
  return command;
}
