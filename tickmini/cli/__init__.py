"""The command line: thin argparse front ends over the library, one module per command group."""
