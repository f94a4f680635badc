"""Kapacitor's task and topic commands on the local store, one module per command (the CLI
entry imports only the chosen command's module)."""
