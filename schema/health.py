"""Readiness: is the database reachable and migrated to head? Used by /readyz."""

from sqlalchemy.ext.asyncio import AsyncEngine

from schema import migrate


async def readiness(engine: AsyncEngine) -> tuple[bool, str]:
    """(ok, detail): ok only when the database answers and its revision is the head
    revision of this code's migrations; detail says why not, in one line."""
    try:
        state, revision = await migrate.status(engine)
    except Exception as exc:  # any failure to connect or query means "not ready"
        return False, migrate.describe_connect_error(
            engine.url.render_as_string(hide_password=True), exc
        )
    if state == "empty":
        return False, "database not migrated: run `sitrep db upgrade`"
    if state == "behind":
        return False, f"database at migration {revision}, expected {migrate.head()}"
    return True, f"database at migration {revision}"
