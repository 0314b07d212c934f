"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_STORE = Path("kg-store")

store_option = click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_STORE,
    show_default=True,
    envvar="KG_STORE",
    help="Directory of the on-disk graph store (env KG_STORE).",
)
