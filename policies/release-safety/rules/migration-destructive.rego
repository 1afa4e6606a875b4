# METADATA
# title: Destructive migrations say how they are made safe
# description: >-
#   A migration that drops a table or a column, truncates, changes a column's type or renames
#   a column or table destroys data or breaks the code still running against the old schema:
#   during a rolling deploy the previous release keeps reading the column the new one dropped,
#   and a rollback of the code cannot bring the data back. Such a change is safe only with a
#   plan — a verified backup, or an expand-contract sequence (add the new shape, migrate
#   readers and writers, remove the old shape in a later release). This rule reports each
#   destructive operation that runs on the way up (not in a `downgrade()`, `def down`,
#   `*.down.sql`, Flyway undo or goose/dbmate down section) without a marker saying which plan
#   applies: a comment `ward: backup-verified` or `ward: expand-contract` (any word of the
#   `migration_markers` param; text after it is free, e.g. `-- ward: expand-contract: readers
#   moved in v41`) on the statement's or call's line or on the comment lines right above it.
#   It reads SQL migrations (Flyway, golang-migrate, goose, dbmate, `migrations/*.sql`),
#   Alembic (`op.drop_column`, `op.drop_table`, `op.alter_column(type_=…)`,
#   `op.alter_column(new_column_name=…)`, SQL in `op.execute`), Django (`RemoveField`,
#   `DeleteModel`, `AlterField`, `RenameField`, `RunSQL`) and Rails (`remove_column`,
#   `drop_table`, `rename_column`, `change_column`, `execute`). Dropping a table the same
#   migration creates is not reported.
# related_resources:
#   - https://www.prisma.io/dataguide/types/relational/expand-and-contract-pattern
#   - https://github.com/ankane/strong_migrations#dangerous-operations
#   - https://www.postgresql.org/docs/current/sql-altertable.html
# custom:
#   id: REL-012
#   severity: high
#   kinds: [migration]
#   remediation: >-
#     Split the change into expand and contract steps across releases, or take and verify a
#     backup first; then say so on the statement with `-- ward: backup-verified` or
#     `-- ward: expand-contract: <plan>` (`#` in Python and Ruby).
package ward.release_safety.migration_destructive

import rego.v1

destructive := {op | some op in input.params.destructive_operations}

markers := {m | some m in input.params.migration_markers}

created_here := {op.table |
	some op in input.object.operations
	op.operation == "create-table"
	is_string(op.table)
}

described(op) := sprintf("%s %s.%s", [op.operation, op.table, op.column]) if {
	is_string(op.table)
	is_string(op.column)
} else := sprintf("%s %s", [op.operation, op.table]) if {
	is_string(op.table)
} else := op.operation

deny contains result if {
	some i, op in input.object.operations
	op.direction == "up"
	op.operation in destructive
	not marked(op)
	not dropping_own_table(op)
	result := {
		"msg": sprintf(
			"%s (%s) without a marker: add a comment `ward: backup-verified` or `ward: expand-contract` once a backup or an expand-contract plan exists",
			[described(op), op.via],
		),
		"path": ["operations", i, "operation"],
	}
}

marked(op) if {
	some marker in op.markers
	marker in markers
}

dropping_own_table(op) if {
	op.operation == "drop-table"
	op.table in created_here
}
