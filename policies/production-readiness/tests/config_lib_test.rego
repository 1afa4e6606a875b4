package ward.production_readiness.config_lib_test

import rego.v1

import data.ward.production_readiness.lib

test_name_patterns if {
	lib.matches_any("debug", ["DEBUG"])
	lib.matches_any("FLASK_DEBUG", ["*_DEBUG"])
	lib.matches_any("LOGGING_LEVEL_ROOT", ["LOGGING_LEVEL_*"])
	lib.matches_any("MY_LOG_LEVEL_OVERRIDE", ["*LOG_LEVEL*"])
	not lib.matches_any("DEBUGGER_PORT", ["DEBUG", "*_DEBUG"])
	not lib.matches_any("LOG_LEVELS", ["LOG_LEVEL"])
}

test_assignments if {
	lib.split_assignment("A=b=c") == ["A", "b=c"]
	lib.split_assignment("A=") == ["A", ""]
	not lib.split_assignment("=x")
	not lib.split_assignment("NAME")
}
