"""`sitrep extract` (not implemented yet)."""

import argparse


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Adds the command's parser; not wired yet."""
