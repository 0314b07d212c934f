"""Commands of this stage (being written)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
