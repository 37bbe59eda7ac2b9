# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) with keyword arguments is typed as returning Any.)
"""The Mutation root: queue a document for ingest (write scope) and curation (curate
scope). Expected failures come back as typed results (see `results`)."""

import datetime as dt
import hashlib
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry

from api.graphql import curation
from api.graphql.context import Context
from api.graphql.errors import InvalidInput, NotFound, PublicError
from api.graphql.ids import decode_id_of
from api.graphql.nodes import Actor, Ctx, Incident, Job, Official
from api.graphql.results import InvalidInputError, NotAllowedError, NotFoundError, as_result
from api.query import jobs as qj
from schema import enums
from schema.enums import Scope

T = TypeVar("T")
MAX_MERGE = 100

IngestDocumentResult = Annotated[
    Job | NotAllowedError | InvalidInputError, strawberry.union("IngestDocumentResult")
]
UpdateIncidentResult = Annotated[
    Incident | NotFoundError | NotAllowedError | InvalidInputError,
    strawberry.union("UpdateIncidentResult"),
]
MergeActorsResult = Annotated[
    Actor | NotFoundError | NotAllowedError | InvalidInputError,
    strawberry.union("MergeActorsResult"),
]
MergeOfficialsResult = Annotated[
    Official | NotFoundError | NotAllowedError | InvalidInputError,
    strawberry.union("MergeOfficialsResult"),
]


@strawberry.type(description="The incident a split left behind and the one it created.")
class SplitIncidentPayload:
    original: Incident
    created: Incident


SplitIncidentResult = Annotated[
    SplitIncidentPayload | NotFoundError | NotAllowedError | InvalidInputError,
    strawberry.union("SplitIncidentResult"),
]


@strawberry.input(description="Casualty figures; low <= best <= high, none negative.")
class FiguresInput:
    low: int | None = None
    best: int | None = None
    high: int | None = None

    def to_figures(self) -> curation.Figures:
        return curation.Figures(low=self.low, best=self.best, high=self.high)


@strawberry.input(description="The fields to change; omitted ones stay as they are.")
class IncidentPatch:
    type: enums.IncidentType | None = None
    date: dt.date | None = None
    date_precision: enums.DatePrecision | None = None
    place: strawberry.ID | None = strawberry.field(default=None, description="A Place id.")
    killed: FiguresInput | None = None
    wounded: FiguresInput | None = None
    review_status: enums.ReviewStatus | None = None

    def to_patch(self) -> curation.IncidentPatch:
        return curation.IncidentPatch(
            type=self.type,
            date=self.date,
            date_precision=None if self.date_precision is None else self.date_precision.value,
            place_id=None if self.place is None else decode_id_of("Place", self.place, "place"),
            killed=None if self.killed is None else self.killed.to_figures(),
            wounded=None if self.wounded is None else self.wounded.to_figures(),
            review_status=self.review_status,
        )


async def _load(ctx: Context, cls: Any, loader: str, pk: int) -> Any:
    """Re-read a row after a write, on a fresh connection and empty caches."""
    await ctx.release()
    row = await getattr(ctx.loaders, loader).load(pk)
    if row is None:
        raise NotFound(f"no {cls.__name__.lower()} with id {pk}")
    return cls.from_row(row)


async def _curate(ctx: Context, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run a curation in one transaction, as the caller, with the curate scope."""
    ctx.require(Scope.CURATE)
    async with ctx.engine.begin() as conn:
        return await work(conn)


def _ids(type_name: str, values: list[strawberry.ID], field: str) -> list[int]:
    if len(values) > MAX_MERGE:
        raise InvalidInput(f"{field} lists at most {MAX_MERGE} ids", field=field)
    return [decode_id_of(type_name, v, field) for v in values]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Queue a document for extraction (needs the write scope). Poll the "
        "returned job with `node(id:)`; the same text queued twice returns the first job."
    )
    async def ingest_document(
        self,
        info: Ctx,
        text: str,
        url: str | None = None,
        published: dt.date | None = None,
        outlet: str | None = None,
        title: str | None = None,
    ) -> IngestDocumentResult:
        ctx = info.context
        try:
            ctx.require(Scope.WRITE)
            if not text.strip():
                raise InvalidInput("text is empty", field="text")
            if len(text.encode("utf-8")) > ctx.settings.max_body_bytes:
                raise InvalidInput("text is too large", field="text")
            for name, value, limit in (
                ("url", url, 2048),
                ("outlet", outlet, 200),
                ("title", title, 1000),
            ):
                if value is not None and len(value) > limit:
                    raise InvalidInput(f"{name} is longer than {limit} characters", field=name)
            payload = {
                "text": text,
                "content_type": "text/plain",
                "url": url,
                "outlet": outlet,
                "published": None if published is None else published.isoformat(),
                "title": title,
                "source": f"graphql:{ctx.who}",
            }
            payload = {k: v for k, v in payload.items() if v is not None}
            key = hashlib.sha256(text.encode("utf-8")).hexdigest()
            async with ctx.engine.begin() as conn:
                job, _created = await qj.enqueue_document(
                    conn, payload, key, ctx.settings.job_max_attempts
                )
            return Job.from_row(job)
        except PublicError as e:
            result = as_result(e)
            assert not isinstance(result, NotFoundError)  # nothing here looks a record up
            return result

    @strawberry.mutation(
        description="Edit an incident by hand (curate scope). Edited fields are kept "
        "when documents are reprocessed; the change is written to the audit log."
    )
    async def update_incident(
        self, info: Ctx, id: strawberry.ID, input: IncidentPatch
    ) -> UpdateIncidentResult:
        ctx = info.context
        try:
            pk = decode_id_of("Incident", id, "id")
            patch = input.to_patch()
            await _curate(ctx, lambda c: curation.update_incident(c, ctx.who, pk, patch))
            return await _load(ctx, Incident, "incident", pk)  # type: ignore[no-any-return]
        except PublicError as e:
            return as_result(e)

    @strawberry.mutation(
        description="Merge duplicate actors into one (curate scope): links, statements, "
        "roles and aliases move to `into`; the others become tombstones."
    )
    async def merge_actors(
        self,
        info: Ctx,
        into: strawberry.ID,
        from_: Annotated[list[strawberry.ID], strawberry.argument(name="from")],
    ) -> MergeActorsResult:
        ctx = info.context
        try:
            target = decode_id_of("Actor", into, "into")
            sources = _ids("Actor", from_, "from")
            await _curate(ctx, lambda c: curation.merge_actors(c, ctx.who, target, sources))
            return await _load(ctx, Actor, "actor", target)  # type: ignore[no-any-return]
        except PublicError as e:
            return as_result(e)

    @strawberry.mutation(
        description="Merge duplicate officials into one (curate scope): roles, statements "
        "and aliases move to `into`; the others become tombstones."
    )
    async def merge_officials(
        self,
        info: Ctx,
        into: strawberry.ID,
        from_: Annotated[list[strawberry.ID], strawberry.argument(name="from")],
    ) -> MergeOfficialsResult:
        ctx = info.context
        try:
            target = decode_id_of("Official", into, "into")
            sources = _ids("Official", from_, "from")
            await _curate(ctx, lambda c: curation.merge_officials(c, ctx.who, target, sources))
            return await _load(ctx, Official, "person", target)  # type: ignore[no-any-return]
        except PublicError as e:
            return as_result(e)

    @strawberry.mutation(
        description="Move some of an incident's reports to a new incident (curate scope), "
        "when one incident wrongly merged two events."
    )
    async def split_incident(
        self, info: Ctx, id: strawberry.ID, reports: list[strawberry.ID]
    ) -> SplitIncidentResult:
        ctx = info.context
        try:
            pk = decode_id_of("Incident", id, "id")
            report_ids = _ids("Report", reports, "reports")
            new_id = await _curate(
                ctx, lambda c: curation.split_incident(c, ctx.who, pk, report_ids)
            )
            original = await _load(ctx, Incident, "incident", pk)
            created = await _load(ctx, Incident, "incident", new_id)
            return SplitIncidentPayload(original=original, created=created)
        except PublicError as e:
            return as_result(e)
