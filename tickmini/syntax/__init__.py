"""TICKscript text to AST: grammar loading, tree translation, errors, formatting."""
