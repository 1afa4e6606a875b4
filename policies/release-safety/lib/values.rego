# Every scalar inside a value, with its path: what `walk` gives in OPA (regorus, as ward
# builds it, has no `walk`). Rego has no recursion, so the levels are unrolled: values nested
# deeper than 16 levels are not visited, which no manifest or variable file needs.
package ward.release_safety.lib.values

import rego.v1

composite(x) if is_object(x)

composite(x) if is_array(x)

step(level) := [[array.concat(path, [key]), child] |
	some entry in level
	composite(entry[1])
	path := entry[0]
	some key, child in entry[1]
]

# [[path, scalar], …] for every non-object, non-array value inside `x` (x itself included
# when it is a scalar, with the path []).
leaves(x) := [entry |
	l0 := [[[], x]]
	l1 := step(l0)
	l2 := step(l1)
	l3 := step(l2)
	l4 := step(l3)
	l5 := step(l4)
	l6 := step(l5)
	l7 := step(l6)
	l8 := step(l7)
	l9 := step(l8)
	l10 := step(l9)
	l11 := step(l10)
	l12 := step(l11)
	l13 := step(l12)
	l14 := step(l13)
	l15 := step(l14)
	l16 := step(l15)
	some level in [l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14, l15, l16]
	some entry in level
	not composite(entry[1])
]
