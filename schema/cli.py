"""`sitrep db upgrade` (and `db downgrade`, `db current`)."""

import argparse


def register_db(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Filled in by the foundation work: upgrade/downgrade/current."""
