"""Placeholder replaced below."""

from collections.abc import Callable

from strawberry.extensions import SchemaExtension

from schema.config import Settings


def compiler_extension(settings: Settings) -> Callable[[], SchemaExtension]:
    return SchemaExtension
