"""Query limits: depth, aliases, tokens, page size, cost, introspection.

The validation rules are built once per schema (`LimitRules`), never per request:
graphql-core's validation cache is keyed by the rule classes, and a fresh class per
request (what strawberry's limiter extensions create when passed as factories) misses it
every time (strawberry issue #4635). `OperationGuard`, made per request, only attaches
the prebuilt tuple, sets the parser's token limit and checks the cost, which depends on
the variables (a `first: $n`).
"""

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from schema.config import Settings

# What a list without `first` is assumed to hold, for the cost estimate.
LIST_GUESS = 10
# Fields whose list is the page itself (already counted by the `first` above them).
PAGE_LISTS = frozenset({"edges", "nodes"})


def page_size_rule(max_page_size: int) -> type[ASTValidationRule]:
    """Rejects a literal `first` above the maximum page size (a variable is checked when
    the request runs, by the resolvers and the compiler alike)."""

    class MaxPageSize(ValidationRule):
        def enter_field(self, node: FieldNode, *_args: object) -> None:
            for arg in node.arguments or ():
                value = arg.value
                if (
                    arg.name.value == "first"
                    and isinstance(value, IntValueNode)
                    and int(value.value) > max_page_size
                ):
                    self.report_error(
                        GraphQLError(
                            f"first: {value.value} is above the maximum page size "
                            f"({max_page_size})",
                            arg,
                            extensions={"code": "LIMIT_EXCEEDED"},
                        )
                    )

    return MaxPageSize


@dataclass(frozen=True)
class LimitRules:
    """The limits of one schema, with their validation rules built once."""

    rules: tuple[type[ASTValidationRule], ...]
    max_tokens: int
    max_cost: int
    max_page_size: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "LimitRules":
        rules: list[type[ASTValidationRule]] = [
            depth_rule(settings.graphql_max_depth, None, None),
            alias_rule(settings.graphql_max_aliases),
            page_size_rule(settings.max_page_size),
        ]
        if not settings.introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        return cls(
            rules=tuple(rules),
            max_tokens=settings.graphql_max_tokens,
            max_cost=settings.graphql_max_cost,
            max_page_size=settings.max_page_size,
        )

    def guard(self) -> "OperationGuard":
        return OperationGuard(self)


def _named(t: Any) -> tuple[Any, bool]:
    """(named type, is a list) of a field's output type."""
    if isinstance(t, GraphQLNonNull):
        t = t.of_type
    is_list = isinstance(t, GraphQLList)
    while isinstance(t, GraphQLList | GraphQLNonNull):
        t = t.of_type
    return t, is_list


class _Cost:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        default_page: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.default_page = default_page

    def selection(self, sel: SelectionSetNode | None, parent: Any) -> int:
        if sel is None:
            return 0
        total = 0
        for node in sel.selections:
            if isinstance(node, FieldNode):
                total += self.field(node, parent)
            elif isinstance(node, InlineFragmentNode):
                cond = node.type_condition
                t = self.schema.get_type(cond.name.value) if cond else parent
                total += self.selection(node.selection_set, t)
            elif isinstance(node, FragmentSpreadNode):
                frag = self.fragments.get(node.name.value)
                if frag is not None:
                    t = self.schema.get_type(frag.type_condition.name.value)
                    total += self.selection(frag.selection_set, t)
        return total

    def field(self, node: FieldNode, parent: Any) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        fields = getattr(parent, "fields", None)
        if isinstance(parent, GraphQLUnionType) or fields is None or name not in fields:
            # Union members are costed through their inline fragments.
            return 1 + self.selection(node.selection_set, parent)
        field_def = fields[name]
        child, is_list = _named(field_def.type)
        multiplier = 1
        first = self.first(node, field_def)
        if first is not None:
            multiplier = max(first, 1)
        elif is_list and name not in PAGE_LISTS:
            multiplier = LIST_GUESS
        return 1 + multiplier * self.selection(node.selection_set, child)

    def first(self, node: FieldNode, field_def: Any) -> int | None:
        if "first" not in field_def.args:
            return None
        for arg in node.arguments or ():
            if arg.name.value != "first":
                continue
            value = arg.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                raw = self.variables.get(value.name.value)
                return raw if isinstance(raw, int) else self.default_page
        default = field_def.args["first"].default_value
        return default if isinstance(default, int) else self.default_page


@lru_cache(maxsize=256)
def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    int_variables: tuple[tuple[str, int], ...],
    default_page: int,
) -> int:
    """Estimated rows x fields of an operation: each field counts 1, times the `first`
    of every page above it (or LIST_GUESS for a plain list)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    op = next(
        (o for o in ops if operation_name is None or (o.name and o.name.value == operation_name)),
        None,
    )
    if op is None:
        return 0
    root = schema.get_root_type(op.operation)
    return _Cost(schema, fragments, dict(int_variables), default_page).selection(
        op.selection_set, root
    )


class OperationGuard(SchemaExtension):
    """Per request: attach the prebuilt rules, cap tokens, refuse costly operations, and
    return the request's database connection when the operation ends."""

    def __init__(self, limits: LimitRules) -> None:
        self.limits = limits

    async def on_operation(self) -> AsyncIterator[None]:
        ec = self.execution_context
        ec.parse_options["max_tokens"] = self.limits.max_tokens
        ec.validation_rules = (*ec.validation_rules, *self.limits.rules)
        try:
            yield
        finally:
            release = getattr(ec.context, "release", None)
            if release is not None:
                await release()

    def on_execute(self) -> Any:
        ec = self.execution_context
        document = ec.graphql_document
        if document is not None and not ec.result:
            ints = tuple(
                sorted(
                    (k, v)
                    for k, v in (ec.variables or {}).items()
                    if isinstance(v, int) and not isinstance(v, bool)
                )
            )
            cost = operation_cost(
                ec.schema._schema, document, ec.operation_name, ints, self.limits.max_page_size
            )
            if cost > self.limits.max_cost:
                ec.result = GraphQLExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"the query's estimated cost {cost} is above the limit "
                            f"({self.limits.max_cost}); ask for fewer rows or fields",
                            extensions={"code": "LIMIT_EXCEEDED"},
                        )
                    ],
                )
        yield


__all__ = ["LimitRules", "OperationGuard", "ValidationContext", "operation_cost"]
