# METADATA
# title: Postgres indexes on existing tables are built concurrently
# description: >-
#   `CREATE INDEX` takes a lock on the table that blocks every insert, update and delete until
#   the index is built — minutes to hours on a large table, an outage for the application.
#   `CREATE INDEX CONCURRENTLY` builds it without blocking writes. This rule reports each index
#   created on the way up without it: SQL `CREATE [UNIQUE] INDEX` (also in `op.execute`,
#   `RunSQL`, `execute`), Alembic `op.create_index` without `postgresql_concurrently=True`,
#   Rails `add_index` without `algorithm: :concurrently`, Django `AddIndex` (instead of
#   `AddIndexConcurrently`). Indexes on a table the same migration creates are not reported
#   (the table is empty), nor files whose SQL shows another dialect (MySQL backticks or
#   `ENGINE=`, SQLite `AUTOINCREMENT`), which have no `CONCURRENTLY`.
# related_resources:
#   - https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY
#   - https://github.com/ankane/strong_migrations#adding-an-index-non-concurrently
#   - https://alembic.sqlalchemy.org/en/latest/ops.html#alembic.operations.Operations.create_index
# custom:
#   id: REL-013
#   severity: medium
#   kinds: [migration]
#   remediation: >-
#     Build the index with `CREATE INDEX CONCURRENTLY` outside a transaction: in Alembic
#     `op.create_index(…, postgresql_concurrently=True)` inside
#     `with op.get_context().autocommit_block():`; in Rails `add_index …, algorithm:
#     :concurrently` with `disable_ddl_transaction!`; in Django `AddIndexConcurrently` in a
#     migration with `atomic = False`.
package ward.release_safety.migration_index_concurrently

import rego.v1

created_here := {op.table |
	some op in input.object.operations
	op.operation == "create-table"
	is_string(op.table)
}

deny contains result if {
	not input.object.dialect in {"mysql", "sqlite"}
	some i, op in input.object.operations
	op.direction == "up"
	op.operation == "create-index"
	op.concurrently == false
	not op.table in created_here
	result := {
		"msg": sprintf(
			"index on %s is built without CONCURRENTLY (%s): the table is locked against writes until it is built",
			[table_of(op), op.via],
		),
		"path": ["operations", i, "operation"],
	}
}

table_of(op) := op.table if is_string(op.table)

else := "a table"
