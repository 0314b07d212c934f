"""Command line: a thin layer that parses options and calls the stage modules.

Each group of commands lives in a module of ``kg.commands``; this file only
assembles them, so a reader finds every command by its module name.
"""

from __future__ import annotations

import click

from kg.commands import ask, build, extract, map as map_commands, serve, train


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """kg: a knowledge graph of German-Chinese economic relations from press releases."""


for module in (build, extract, train, ask, serve, map_commands):
    for command in module.COMMANDS:
        main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
