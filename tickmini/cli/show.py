"""``tickmini explain SCRIPT``: the pipeline as a tree with every property (defaults filled in),
the alert's templates, topics and handlers (secrets masked); ``--dot`` prints Kapacitor's DOT.

Named ``explain`` so it does not clash with ``show TASK`` (Kapacitor's stored-task view).
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK = 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "explain",
        help="show a script's pipeline as a tree with every property, or as DOT",
        description=(
            "Show what a TICKscript builds: each node with its properties (defaults filled in), "
            "an alert's ID and message templates, the topics it publishes to and where its "
            "handlers send (API keys masked). --dot prints Kapacitor's DOT graph."
        ),
    )
    parser.add_argument("script", help="the .tick file")
    parser.add_argument("--dot", action="store_true", help="print the DOT graph (Graphviz)")
    parser.add_argument("--task-name", default=None, metavar="NAME", help="task ID")
    parser.add_argument("--config", default=None, metavar="FILE", help="kapacitor.conf")
    parser.add_argument(
        "--handler", nargs="+", action="extend", default=[], metavar="FILE", help="topic handlers"
    )
    parser.add_argument(
        "--strict", action="store_true", help="refuse everything Kapacitor would refuse"
    )
    parser.set_defaults(func=explain_command)


def explain_command(args: argparse.Namespace) -> int:
    from tickmini.alerting.spec import load_handler_file
    from tickmini.cli.common import load_config_arg
    from tickmini.cli.run import default_task_name
    from tickmini.pipeline.builder import compile_script
    from tickmini.teach.dot import pipeline_dot
    from tickmini.teach.session import read_script
    from tickmini.teach.show import explain_pipeline

    pipeline = compile_script(read_script(args.script), args.script, strict=args.strict)
    task_name = args.task_name or default_task_name(args.script)
    if args.dot:
        sys.stdout.write(pipeline_dot(pipeline, task_name, graphviz_safe=True) + "\n")
        return EXIT_OK
    config = load_config_arg(args.config)
    handlers = [load_handler_file(path) for path in args.handler]
    sys.stdout.write(
        explain_pipeline(pipeline, task_name=task_name, config=config, topic_handlers=handlers)
    )
    return EXIT_OK
