package example

violation contains "should emit violation" if true

violation contains "should not emit violation" if false

violation_no_msg := true

violation_no_msg_succeed if false

deny contains "should emit deny" if true

deny_no_msg := true

warn contains "should emit warning" if true

warn_no_msg := true
