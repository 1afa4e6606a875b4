# Helpers shared by the ci-pipeline rules: a workflow's triggers, its jobs and steps, what a
# job needs (transitively), and the deploy / test / release heuristics driven by the pack's
# params. regorus is built without `walk` and `graph.reachable`, so the places a value can sit
# in are listed and the `needs` closure is unrolled.
package ward.ci_pipeline.lib

import rego.v1

# The events that start the workflow, whatever form `on:` takes.
triggers(workflow) := {workflow.on} if is_string(workflow.on)

triggers(workflow) := {event | some event in workflow.on} if is_array(workflow.on)

triggers(workflow) := {event | some event, _ in workflow.on} if is_object(workflow.on)

triggers(workflow) := set() if not workflow.on

# Jobs by id (null jobs, as YAML allows, become {}).
jobs(workflow) := {id: job_value(job) | some id, job in workflow.jobs} if is_object(workflow.jobs)

jobs(workflow) := {} if not is_object(workflow.jobs)

job_value(job) := job if is_object(job)

job_value(job) := {} if not is_object(job)

steps(job) := [step_value(step) | some step in job.steps] if is_array(job.steps)

steps(job) := [] if not is_array(job.steps)

step_value(step) := step if is_object(step)

step_value(step) := {} if not is_object(step)

as_list(value) := [value] if is_string(value)

as_list(value) := value if is_array(value)

as_list(value) := [] if {
	not is_string(value)
	not is_array(value)
}

string_or_empty(value) := value if is_string(value)

string_or_empty(value) := "" if not is_string(value)

# The jobs `id` needs directly.
needs(all_jobs, id) := {need | some need in as_list(object.get(all_jobs, [id, "needs"], []))}

# Every job -> the jobs it needs directly or transitively, for all jobs at once: each step
# doubles the length of the `needs` chains covered (5 steps: 32 levels). regorus has no
# `graph.reachable`.
needs_closure(all_jobs) := m32 if {
	m1 := {id: needs(all_jobs, id) | some id, _ in all_jobs}
	m2 := extend(m1)
	m4 := extend(m2)
	m8 := extend(m4)
	m16 := extend(m8)
	m32 := extend(m16)
}

extend(m) := {id: reach(m, ids) | some id, ids in m}

reach(m, ids) := ids | {far | some near in ids; some far in object.get(m, near, set())}

# The job's display name and id, lower-cased.
job_names(id, job) := {lower(id), lower(string_or_empty(object.get(job, "name", "")))}

# The words of a text, lower-cased: runs of letters and digits.
words(text) := {word | some word in regex.split(`[^a-z0-9]+`, lower(text)); word != ""}

lower_all(list) := {lower(item) | some item in list}

# Whether one of `list` is a whole word of `text` (case-insensitive).
has_word(text, list) if count(words(text) & lower_all(list)) > 0

# How a message names a step: by its name, else by its position (1-based).
step_label(id, _, step) := sprintf("job %s, step %q", [id, step.name]) if is_string(step.name)

step_label(id, i, step) := sprintf("job %s, step %d", [id, i + 1]) if not is_string(step.name)

# The action a step or job `uses`, without its ref, lower-cased: `actions/checkout`.
action_name(uses) := lower(split(uses, "@")[0])

uses_action(step, prefixes) if {
	is_string(step.uses)
	some prefix in prefixes
	startswith(action_name(step.uses), lower(prefix))
}

runs_command(step, commands) if {
	is_string(step.run)
	script := lower(step.run)
	some command in commands
	contains(script, lower(command))
}

# --- deploy jobs -----------------------------------------------------------------------

deploy_job(id, job, params) if {
	some name in job_names(id, job)
	some word in params.deploy_job_words
	contains(name, lower(word))
}

deploy_job(_, job, params) if {
	some step in steps(job)
	uses_action(step, params.deploy_actions)
}

deploy_job(_, job, params) if {
	some step in steps(job)
	runs_command(step, params.deploy_commands)
}

# Everything a job says about itself: id, name, environment, step names, `with:` and `env:`
# values and scripts.
job_texts(id, job) := texts if {
	step_texts := {text |
		some step in steps(job)
		some text in step_strings(step)
	}
	env_texts := {value | some _, value in object.get(job, "env", {}); is_string(value)}
	texts := ({lower(id), lower(string_or_empty(object.get(job, "name", "")))} | step_texts) | env_texts
}

step_strings(step) := strings if {
	with_values := {value | some _, value in object.get(step, "with", {}); is_string(value)}
	env_values := {value | some _, value in object.get(step, "env", {}); is_string(value)}
	own := {value | some key in ["name", "run"]; value := step[key]; is_string(value)}
	strings := (with_values | env_values) | own
}

# The words of everything a job says about itself.
job_words(id, job) := {word | some text in job_texts(id, job); some word in words(text)}

# A deploy job that only ever names non-production environments.
non_production_job(id, job, params) if {
	said := job_words(id, job)
	count(said & lower_all(params.non_production_words)) > 0
	count(said & lower_all(params.production_words)) == 0
}

# --- test jobs -------------------------------------------------------------------------

test_job(id, job, params) if {
	some name in job_names(id, job)
	has_word(name, params.test_job_words)
}

test_job(_, job, params) if {
	some step in steps(job)
	runs_command(step, params.test_commands)
}

# --- token permissions -----------------------------------------------------------------

# The permissions a job's token gets, as written: the job's own, else the workflow's, else
# null (the repository default).
effective_permissions(workflow, job) := job.permissions if "permissions" in object.keys(job)

effective_permissions(workflow, job) := workflow.permissions if {
	not "permissions" in object.keys(job)
	"permissions" in object.keys(workflow)
}

effective_permissions(workflow, job) := null if {
	not "permissions" in object.keys(job)
	not "permissions" in object.keys(workflow)
}

grants(permissions, scope, level) if {
	is_object(permissions)
	permissions[scope] == level
}

grants(permissions, _, "write") if permissions == "write-all"
