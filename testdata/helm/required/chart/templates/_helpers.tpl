{{- define "jobs.host" -}}
{{- if not .Values.ingress.host }}
{{- fail "ingress.host must be set when ingress.enabled is true" }}
{{- end }}
{{- .Values.ingress.host }}
{{- end }}
