# METADATA
# title: Tokens are not set in env files
# description: >-
#   A rule for the editor's redaction test: it names the value it found in a related
#   location's message, as a careless rule might.
# custom:
#   id: LSPS-001
#   severity: high
#   kinds: [dotenv]
#   remediation: Load the token from the secret store.
package ward.lspsuppressed.token_set

import rego.v1

deny contains {
	"msg": sprintf("%s is set in the file", [entry.key]),
	"path": ["entries", i, "key"],
	"related": [{"path": ["entries", i, "value"], "message": sprintf("its value is %s", [entry.value])}],
} if {
	some i, entry in input.object.entries
	endswith(entry.key, "_TOKEN")
}
