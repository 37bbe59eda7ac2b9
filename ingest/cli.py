"""`sitrep extract`, `ingest`, `worker`, `reprocess` and `db seed`."""

import argparse


def register_db(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """`sitrep db seed`."""


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """extract, ingest, worker, reprocess."""
