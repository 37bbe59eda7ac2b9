"""`python -m api.graphql > schema.graphql`: print the schema in SDL (checked in at the
repository root; tests/api/graphql/test_sdl.py fails when it is stale)."""

import sys

from api.graphql.schema import sdl

if __name__ == "__main__":
    sys.stdout.write(sdl())
