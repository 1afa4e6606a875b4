# Shared helpers of the container pack (Dockerfiles).
#
# - Stages: which earlier stage a stage builds FROM, and the chain of stages whose layers end up
#   in the final image (the final stage and the stages it builds FROM, transitively).
# - RUN instructions as shell text (shell form, exec form and BuildKit heredocs alike), split
#   into simple commands and words.
# - Package manager invocations (apt-get/apt, apk, pip, yum/dnf) found in those commands: the
#   subcommand, the options and the package arguments.
# - BuildKit cache mounts (`RUN --mount=type=cache,target=…`), which keep caches out of layers.
package lib.container

import rego.v1

stages := object.get(input.object, "stages", [])

final_index := count(stages) - 1

# ---------------------------------------------------------------------------------------------
# Stages

# parent_of[i] is the index of the earlier stage that stage i builds FROM (`FROM build`). Stage
# names are case-insensitive; when a name is given twice, the latest earlier stage wins.
parent_of[i] := max(candidates) if {
	some i, stage in stages
	stage.from.stage != null
	candidates := {j | some j, other in stages; j < i; names_stage(other, stage.from.stage)}
	count(candidates) > 0
}

names_stage(stage, name) if {
	stage.name != null
	lower(stage.name) == lower(name)
}

names_stage(stage, name) if {
	regex.match(`^[0-9]+$`, name)
	to_number(name) == stage.index
}

up(i) := object.get(parent_of, i, -1)

# The stage i and the stages it builds FROM, nearest first (Rego has no recursion: eight levels
# of FROM-an-earlier-stage are far more than real Dockerfiles use).
chain(i) := {k |
	some k in [i, up(i), up(up(i)), up(up(up(i))), up(up(up(up(i)))), up(up(up(up(up(i))))),
		up(up(up(up(up(up(i)))))), up(up(up(up(up(up(up(i))))))), up(up(up(up(up(up(up(up(i))))))))]
	k >= 0
}

# The stages whose filesystem and settings the final image is made of.
final_chain := chain(final_index)

# Instructions of the final image, as [stage index, instruction index] pairs, for `cmd`.
final_instructions(cmd) := {[s, j] |
	some s in final_chain
	some j, instruction in stages[s].instructions
	instruction.cmd == cmd
}

# The one that applies last: the highest stage of the chain, then the last instruction in it.
last_final_instruction(cmd) := max(final_instructions(cmd)) if count(final_instructions(cmd)) > 0

# ---------------------------------------------------------------------------------------------
# RUN as shell text

# The shell text of a RUN: its command line (exec form joined with spaces, which keeps
# `sh -c "…"` scripts readable) and the bodies of its heredocs; line continuations joined.
run_text(instruction) := regex.replace(concat("\n", array.concat([concat(" ", instruction.args)], [h.content | some h in instruction.heredocs])), `\\\r?\n`, " ")

# The RUN instructions of every stage, as {stage, index, instruction, text}.
runs contains {"stage": s, "index": j, "instruction": instruction, "text": run_text(instruction)} if {
	some s, stage in stages
	some j, instruction in stage.instructions
	instruction.cmd == "run"
}

# Simple commands: split at `&&`, `||`, `;`, `|`, newlines and parentheses.
commands(text) := [c |
	some part in regex.split(`&&|\|\||;|\||\n|\(|\)`, text)
	c := trim_space(part)
	c != ""
]

# The words of a simple command, surrounding quotes removed.
words(command) := [w |
	some part in regex.split(`\s+`, command)
	w := trim(part, "\"'")
	w != ""
]

# The finding path of a RUN instruction's command text.
run_path(run) := ["stages", run.stage, "instructions", run.index, "args", 0] if count(run.instruction.args) > 0

run_path(run) := ["stages", run.stage, "instructions", run.index] if count(run.instruction.args) == 0

# ---------------------------------------------------------------------------------------------
# Package managers

managers := {
	"apt": {
		"binary": `^(.*/)?apt(-get)?$`,
		"install": {"install"},
		"value_options": {"-o", "-c", "-t", "--option", "--config-file", "--target-release", "--default-release"},
	},
	"apk": {
		"binary": `^(.*/)?apk$`,
		"install": {"add"},
		"value_options": {"-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir", "--repositories-file"},
	},
	"pip": {
		"binary": `^(.*/)?pip[0-9.]*$`,
		"install": {"install"},
		"value_options": {
			"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
			"--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--src",
			"--upgrade-strategy", "--platform", "--python-version", "--implementation", "--abi",
			"--only-binary", "--no-binary", "--progress-bar", "--trusted-host", "--cache-dir", "--report",
			"--log", "--timeout", "--retries", "--proxy", "--cert", "--client-cert", "-C",
			"--config-settings", "--global-option", "--root-user-action", "--python",
		},
	},
	"dnf": {
		"binary": `^(.*/)?(yum|dnf|microdnf|tdnf)$`,
		"install": {"install"},
		"value_options": {"-c", "--config", "--installroot", "--releasever", "--enablerepo", "--disablerepo", "-x", "--exclude"},
	},
}

# Every package manager invocation in a RUN's text, as {manager, subcommand, options, packages}:
# `options` are the words after the binary that start with `-` and the values they take,
# `packages` the other words after the subcommand (shell redirections left out).
invocations(text) := [inv |
	some command in commands(text)
	ws := words(command)
	some i, word in ws
	some name, manager in managers
	regex.match(manager.binary, word)
	not uv_pip(ws, i, name)
	args := array.slice(ws, i + 1, count(ws))
	positional := [k |
		some k, arg in args
		not startswith(arg, "-")
		not redirection(arg)
		not after_redirection(args, k)
		not takes_value(manager, args, k)
	]
	count(positional) > 0
	inv := {
		"manager": name,
		"subcommand": args[positional[0]],
		"options": [arg | some k, arg in args; not k in positional],
		"packages": [args[k] | some p, k in positional; p > 0],
		"text": command,
	}
]

uv_pip(ws, i, "pip") if {
	i > 0
	ws[i - 1] == "uv"
}

takes_value(manager, args, k) if {
	k > 0
	args[k - 1] in manager.value_options
}

redirection(word) if regex.match(`^[0-9&]*[<>]`, word)

after_redirection(args, k) if {
	k > 0
	regex.match(`^[0-9&]*[<>]+$`, args[k - 1])
}

# Install invocations of a RUN: apt-get install, apk add, pip install, dnf install.
installs(text) := [inv |
	some inv in invocations(text)
	inv.subcommand in managers[inv.manager].install
]

# A package argument without its version (`gcc=4:12.2`, `curl~8`, `flask==3.0`, `gcc-12>=1`).
package_name(word) := lower(regex.split(`[=~<>!@\[;]`, word)[0])

has_option(inv, option) if {
	some word in inv.options
	word == option
}

has_option(inv, option) if {
	some word in inv.options
	startswith(word, concat("", [option, "="]))
}

# ---------------------------------------------------------------------------------------------
# Cache mounts

# The targets of a RUN's `--mount=type=cache` flags.
cache_targets(instruction) := {target |
	some flag in instruction.flags
	flag.name == "mount"
	is_string(flag.value)
	parts := {p | some p in split(flag.value, ",")}
	"type=cache" in parts
	some part in parts
	regex.match(`^(target|dst|destination)=`, part)
	target := trim_right(substring(part, indexof(part, "=") + 1, -1), "/")
}

# Whether a RUN caches a directory (or one of its parents, or children) in a cache mount.
caches(instruction, directory) if {
	some target in cache_targets(instruction)
	startswith(directory, target)
}

caches(instruction, directory) if {
	some target in cache_targets(instruction)
	startswith(target, directory)
}

# ---------------------------------------------------------------------------------------------
# COPY and ADD

# The sources of a COPY or ADD (every argument but the destination), with their argument index;
# heredoc sources (`<<EOF`) left out.
sources(instruction) := [[k, arg] |
	count(instruction.args) > 1
	some k, arg in array.slice(instruction.args, 0, count(instruction.args) - 1)
	not startswith(arg, "<<")
]

remote_source(source) if regex.match(`(?i)^(https?|ftp)://`, source)

remote_source(source) if regex.match(`(?i)^(git@|git://|ssh://)`, source)

has_flag(instruction, name) if {
	some flag in instruction.flags
	flag.name == name
}

# ---------------------------------------------------------------------------------------------
# The RUNs of the final image

# RUN instructions of the stages the final image is made of.
final_runs contains run if {
	some run in runs
	run.stage in final_chain
}

# The value an ENV of the final image's stages gives to `key` (case-sensitive, as the shell).
final_env(key) := value if {
	some s in final_chain
	some instruction in stages[s].instructions
	instruction.cmd == "env"
	some pair in object.get(instruction, "pairs", [])
	pair.key == key
	value := pair.value
}

# A value given to an option either as `--name value` or `--name=value`.
option_value(inv, names) := value if {
	some k, word in inv.options
	word in names
	value := inv.options[k + 1]
}

option_value(inv, names) := value if {
	some word in inv.options
	some name in names
	startswith(word, concat("", [name, "="]))
	value := substring(word, count(name) + 1, -1)
}
