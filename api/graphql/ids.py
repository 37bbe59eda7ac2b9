"""Global ids for the `Node` interface: "TypeName:databaseId", e.g. "Incident:42".

Clients should treat them as opaque. The format is plain on purpose: the compiler builds
the same string inside the database (`'Incident:' || id`) on PostgreSQL and on SQLite,
which has no base64 function.
"""

from api.graphql.errors import InvalidInput

MAX_ID_LENGTH = 64


def encode_id(type_name: str, pk: int) -> str:
    return f"{type_name}:{pk}"


def decode_id(global_id: str, field: str = "id") -> tuple[str, int]:
    """(type name, database id); InvalidInput for anything that is not one of ours."""
    type_name, sep, pk = global_id.partition(":")
    if (
        len(global_id) > MAX_ID_LENGTH
        or not sep
        or not type_name.isidentifier()
        or not pk.isascii()
        or not pk.isdigit()
        or len(pk) > 18
    ):
        raise InvalidInput(f"not a valid id: {global_id[:MAX_ID_LENGTH]!r}", field=field)
    return type_name, int(pk)


def decode_id_of(type_name: str, value: str, field: str) -> int:
    """A database id from a global id of `type_name`, or from plain digits."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    kind, pk = decode_id(value, field)
    if kind != type_name:
        raise InvalidInput(f"expected an id of a {type_name}, got one of a {kind}", field=field)
    return pk


def ref_of(type_name: str, value: str, field: str) -> int | str:
    """An entity reference as the query layer takes it: an id (global id or digits) or a
    name, matched against names and aliases."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    kind, sep, _pk = value.partition(":")
    if sep and kind == type_name:
        return decode_id_of(type_name, value, field)
    return value
