"""The workbench's domain: cases, playbooks, follow-ups and dates. Plain Python, no UI."""
