"""`sitrep serve` and `sitrep keys`."""

import argparse


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """serve, keys."""
