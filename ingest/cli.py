"""Registers the ingest package's commands; each lives in `ingest/commands/<name>.py`."""

import argparse

from ingest.commands import extract, ingest, reprocess, seed, worker


def register_db(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    seed.register(commands)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    for module in (extract, ingest, worker, reprocess):
        module.register(commands)
