package ward.ci_pipeline.lib_test

import rego.v1

import data.ward.ci_pipeline.lib

test_triggers_in_every_form if {
	lib.triggers({"on": "push"}) == {"push"}
	lib.triggers({"on": ["push", "pull_request"]}) == {"push", "pull_request"}
	lib.triggers({"on": {"push": {"tags": ["v*"]}, "release": null}}) == {"push", "release"}
	lib.triggers({"jobs": {}}) == set()
}

test_needs_are_followed_transitively if {
	jobs := {
		"test": {},
		"build": {"needs": "test"},
		"staging": {"needs": ["build"]},
		"production": {"needs": ["staging", "approve"]},
		"approve": {},
	}
	closure := lib.needs_closure(jobs)
	closure.production == {"staging", "build", "test", "approve"}
	closure.test == set()
}

test_whole_words_only if {
	lib.has_word("deploy-staging", ["staging"])
	lib.has_word("Deploy to PROD", ["dev", "prod"])
	not lib.has_word("product-catalog", ["prod"])
	not lib.has_word("pytest", ["test"])
}

test_long_needs_chains if {
	jobs := {sprintf("j%d", [i]): {"needs": sprintf("j%d", [i - 1])} | some i in numbers.range(1, 20)}
	"j1" in lib.needs_closure(object.union(jobs, {"j0": {}})).j20
}

test_null_jobs_and_steps_are_empty_objects if {
	jobs := lib.jobs({"jobs": {"a": null, "b": {"steps": [null, {"run": "make"}]}}})
	jobs.a == {}
	lib.steps(jobs.b) == [{}, {"run": "make"}]
}

test_effective_permissions if {
	lib.grants(lib.effective_permissions({"permissions": {"id-token": "write"}}, {}), "id-token", "write")
	not lib.grants(lib.effective_permissions({"permissions": {"id-token": "write"}}, {"permissions": {}}), "id-token", "write")
	lib.grants(lib.effective_permissions({}, {"permissions": "write-all"}), "id-token", "write")
	lib.effective_permissions({}, {}) == null
}

params := {
	"deploy_job_words": ["deploy"],
	"deploy_actions": ["azure/webapps-deploy"],
	"deploy_commands": ["helm upgrade"],
	"production_words": ["production", "prod"],
	"non_production_words": ["staging", "preview"],
}

test_deploy_jobs_by_name_action_and_command if {
	lib.deploy_job("deploy-web", {}, params)
	lib.deploy_job("ship", {"steps": [{"uses": "Azure/webapps-deploy@v3"}]}, params)
	lib.deploy_job("ship", {"steps": [{"run": "helm upgrade --install web ./chart"}]}, params)
	not lib.deploy_job("build", {"steps": [{"run": "docker push ghcr.io/x/web:1"}]}, params)
}

test_non_production_needs_a_non_production_word_and_no_production_word if {
	lib.non_production_job("deploy-preview", {}, params)
	not lib.non_production_job("deploy", {}, params)
	not lib.non_production_job("deploy-staging", {"steps": [{"run": "promote staging to production"}]}, params)
}
