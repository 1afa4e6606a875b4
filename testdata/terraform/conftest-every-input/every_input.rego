# A conftest policy that fails on every input it is given, naming the Terraform blocks it sees:
# which files a scan hands to conftest (cli/tests/terraform_modules.rs).
package main

import rego.v1

deny contains msg if {
	some type, blocks in input.resource
	some name, _ in blocks
	msg := sprintf("resource %s.%s", [type, name])
}

deny contains "an input without resources" if not input.resource
