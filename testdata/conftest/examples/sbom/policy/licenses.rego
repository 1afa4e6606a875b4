package main

# CycloneDX: no component under a licence the company does not ship.
deny contains result if {
	input.bomFormat == "CycloneDX"
	some component in input.components
	some entry in component.licenses
	entry.license.id == "AGPL-3.0-only"
	result := {
		"msg": sprintf("component %s is licensed %s", [component.name, entry.license.id]),
		"purl": component.purl,
		"license": entry.license.id,
	}
}

# SPDX: every package has a concluded licence.
warn contains msg if {
	startswith(input.spdxVersion, "SPDX-")
	some pkg in input.packages
	pkg.licenseConcluded == "NOASSERTION"
	msg := sprintf("package %s has no concluded license", [pkg.name])
}
