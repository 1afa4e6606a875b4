# Shared helpers of the container pack (Dockerfiles).
#
# The parser has done the work once per Dockerfile (schemas/dockerfile.schema.json): every RUN
# carries its commands split into argv (`commands`, through `&&`, `;`, pipes, continuations,
# heredocs and `sh -c` scripts), each with the package-manager operation it is (`package`:
# manager, operation, options, packages with name, version and whether they are pinned); every
# stage its parent stage and its base image with the global ARGs substituted (`parent`, `base`);
# and the document the chain of stages the final image is made of (`final.chain`). Rules look
# these up; the helpers here only name what several rules ask.
package lib.container

import rego.v1

stages := object.get(input.object, "stages", [])

final_index := input.object.final.stage

# The stages whose filesystem and settings the final image is made of: the final stage and the
# stages it builds FROM.
final_chain := {s | some s in input.object.final.chain}

# Instructions of the final image, as [stage index, instruction index] pairs, for `cmd`.
final_instructions(cmd) := {[s, j] |
	some s in final_chain
	some j, instruction in stages[s].instructions
	instruction.cmd == cmd
}

# The one that applies last: the highest stage of the chain, then the last instruction in it.
last_final_instruction(cmd) := max(final_instructions(cmd)) if count(final_instructions(cmd)) > 0

# ---------------------------------------------------------------------------------------------
# RUN instructions and their commands

# The RUN instructions of every stage, as {stage, index, instruction}.
runs contains {"stage": s, "index": j, "instruction": instruction} if {
	some s, stage in stages
	some j, instruction in stage.instructions
	instruction.cmd == "run"
}

# RUN instructions of the stages the final image is made of.
final_runs contains run if {
	some run in runs
	run.stage in final_chain
}

# The finding path of a RUN's k-th command: the command's own line.
command_path(run, k) := ["stages", run.stage, "instructions", run.index, "commands", k]

# Whether a command of the RUN removes a path under `prefix` (`rm -rf /var/lib/apt/lists/*`),
# or a directory above it (`rm -rf /var/cache/apk`).
removes(run, prefix) if {
	some command in run.instruction.commands
	command.program == "rm"
	some argument in command.argv
	removed_under(argument, prefix)
}

removed_under(argument, prefix) if startswith(argument, prefix)

removed_under(argument, prefix) if {
	parent := trim_right(argument, "/*")
	parent != ""
	startswith(prefix, concat("", [parent, "/"]))
}

# ---------------------------------------------------------------------------------------------
# Package-manager options

has_option(operation, name) if {
	some option in operation.options
	option.name == name
}

# The value given to one of the options `names` (`--virtual .build-deps`, `-t=.deps`).
option_value(operation, names) := option.value if {
	some option in operation.options
	option.name in names
	is_string(option.value)
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

remote_source(source) if {
	some prefix in {"http://", "https://", "ftp://", "git@", "git://", "ssh://"}
	startswith(lower(source), prefix)
}

has_flag(instruction, name) if {
	some flag in instruction.flags
	flag.name == name
}

# ---------------------------------------------------------------------------------------------
# The final image's settings

# The value an ENV of the final image's stages gives to `key` (case-sensitive, as the shell).
final_env(key) := value if {
	some s in final_chain
	some instruction in stages[s].instructions
	instruction.cmd == "env"
	some pair in object.get(instruction, "pairs", [])
	pair.key == key
	value := pair.value
}

# How a stage names itself in messages: `stage "build"`, or `stage 0`.
stage_name(stage) := sprintf("stage %q", [stage.name]) if stage.name != null

stage_name(stage) := sprintf("stage %d", [stage.index]) if stage.name == null

# The base image as written, and what it is once the global ARGs are substituted when that
# differs: `python:${PY}-slim (python:3.12-slim)`.
base_label(stage) := stage.from.image if stage.base.image == stage.from.image

base_label(stage) := sprintf("%s (%s)", [stage.from.image, stage.base.image]) if stage.base.image != stage.from.image
