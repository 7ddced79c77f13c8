"""Just enough GraphQL for the fake Shopify: parse a named operation (variable definitions,
fields, aliases, arguments), check the variables against their declared types, project the
fake's data onto the selection (an unknown field is Shopify's `undefinedField` error), and
compute the requested and actual query cost the way shopify.dev describes it (scalar 0,
object 1, connection 2 + first × node; a mutation 10). No fragments, directives or
inline objects: the adapter sends none, and the fake refuses what it does not understand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

CONNECTION_MAX = 250  # `first` above this is refused (shopify.dev/api/usage/limits)
MUTATION_COST = 10


class GraphQLError(Exception):
    """One entry of a reply's `errors`."""

    def __init__(self, message: str, code: str | None = None, path: list[str] | None = None,
                 **extensions: Any) -> None:
        super().__init__(message)
        self.message, self.code, self.path, self.extensions = message, code, path, extensions

    def as_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"message": self.message}
        if self.path:
            entry["path"] = self.path
        extensions = dict(self.extensions)
        if self.code:
            extensions["code"] = self.code
        if extensions:
            entry["extensions"] = extensions
        return entry


# -- parsing ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Enum:
    name: str


@dataclass
class Field:
    name: str
    alias: str | None = None
    args: dict[str, Any] = field(default_factory=dict)  # literal, Var or Enum values
    children: list[Field] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.alias or self.name


@dataclass
class Operation:
    kind: str
    name: str
    variables: dict[str, str]  # name → declared type, e.g. "Int!", "[String!]!"
    fields: list[Field]


_TOKEN = re.compile(r'\s+|,|#[^\n]*|(?P<t>"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|[_A-Za-z][_0-9A-Za-z]*|\.\.\.|[{}()\[\]:$!=@])')


def _tokens(document: str) -> list[str]:
    out, pos = [], 0
    while pos < len(document):
        match = _TOKEN.match(document, pos)
        if match is None:
            raise GraphQLError(f"Parse error on {document[pos:pos + 10]!r} at position {pos}", "parseError")
        if match.group("t"):
            out.append(match.group("t"))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, document: str) -> None:
        self.tokens, self.at = _tokens(document), 0

    def peek(self) -> str:
        return self.tokens[self.at] if self.at < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if not token or (expected is not None and token != expected):
            raise GraphQLError(f"Parse error: expected {expected or 'more'}, got {token or 'end of document'!r}",
                               "parseError")
        self.at += 1
        return token

    def name(self) -> str:
        token = self.take()
        if not re.fullmatch(r"[_A-Za-z][_0-9A-Za-z]*", token):
            raise GraphQLError(f"Parse error: expected a name, got {token!r}", "parseError")
        return token

    def operation(self) -> Operation:
        kind = self.take()
        if kind not in ("query", "mutation"):
            raise GraphQLError("the fake serves only named queries and mutations", "parseError")
        name = self.name()
        variables: dict[str, str] = {}
        if self.peek() == "(":
            self.take("(")
            while self.peek() != ")":
                self.take("$")
                var = self.name()
                self.take(":")
                variables[var] = self.type()
                if self.peek() == "=":
                    raise GraphQLError("the fake does not take variable defaults", "parseError")
            self.take(")")
        fields = self.selection()
        if self.peek():
            raise GraphQLError("the fake serves one operation per document", "parseError")
        return Operation(kind, name, variables, fields)

    def type(self) -> str:
        if self.peek() == "[":
            self.take("[")
            text = "[" + self.type() + self.take("]")
        else:
            text = self.name()
        if self.peek() == "!":
            text += self.take("!")
        return text

    def selection(self) -> list[Field]:
        self.take("{")
        fields = []
        while self.peek() != "}":
            if self.peek() in ("...", "@"):
                raise GraphQLError("the fake does not serve fragments or directives", "parseError")
            first = self.name()
            alias = None
            if self.peek() == ":":
                self.take(":")
                alias, first = first, self.name()
            item = Field(first, alias)
            if self.peek() == "(":
                self.take("(")
                while self.peek() != ")":
                    arg = self.name()
                    self.take(":")
                    item.args[arg] = self.value()
                self.take(")")
            if self.peek() == "{":
                item.children = self.selection()
            fields.append(item)
        self.take("}")
        if not fields:
            raise GraphQLError("Parse error: empty selection", "parseError")
        return fields

    def value(self) -> Any:
        token = self.peek()
        if token == "$":
            self.take("$")
            return Var(self.name())
        if token == "[":
            self.take("[")
            items = []
            while self.peek() != "]":
                items.append(self.value())
            self.take("]")
            return items
        if token == "{":
            self.take("{")
            obj = {}
            while self.peek() != "}":
                key = self.name()
                self.take(":")
                obj[key] = self.value()
            self.take("}")
            return obj
        token = self.take()
        if token.startswith('"'):
            return json.loads(token)
        if re.fullmatch(r"-?\d+", token):
            return int(token)
        if re.fullmatch(r"-?\d+\.\d+", token):
            return float(token)
        return {"true": True, "false": False, "null": None}.get(token, Enum(token))


def parse(document: str) -> Operation:
    return _Parser(document).operation()


# -- variables ----------------------------------------------------------------------------------------------
InputCheck = Callable[[str, Any], None]


def _valid(value: Any, kind: str, inputs: Mapping[str, InputCheck], name: str, declared: str = "") -> None:
    """Raise unless `value` fits the declared type `kind` (None allowed unless `!`)."""
    declared = declared or kind
    if kind.endswith("!"):
        if value is None:
            raise GraphQLError(f"Variable ${name} of type {declared} was provided invalid value",
                               problems=[{"path": [], "explanation": "Expected value to not be null"}])
        kind = kind[:-1]
    if value is None:
        return
    if kind.startswith("["):
        if not isinstance(value, list):
            value = [value]  # GraphQL input coercion: a single value is a list of one
        for item in value:
            _valid(item, kind[1:-1], inputs, name, declared)
        return
    scalar_ok = {"Int": lambda v: isinstance(v, int) and not isinstance(v, bool),
                 "String": lambda v: isinstance(v, str), "ID": lambda v: isinstance(v, (str, int))
                 and not isinstance(v, bool), "Boolean": lambda v: isinstance(v, bool)}
    if kind in scalar_ok:
        if not scalar_ok[kind](value):
            raise GraphQLError(f"Variable ${name} of type {declared} was provided invalid value",
                               problems=[{"path": [], "explanation": f"Could not coerce value {value!r} to {kind}"}])
        return
    if kind in inputs:
        inputs[kind](name, value)
        return
    raise GraphQLError(f"{kind} isn't a defined input type (on ${name})", "variableRequiresValidType")


def check_variables(op: Operation, given: Mapping[str, Any], expected: Mapping[str, str],
                    inputs: Mapping[str, InputCheck]) -> None:
    """The operation declares exactly the `expected` variables and `given` fits their types."""
    if dict(op.variables) != dict(expected):
        raise GraphQLError(f"fake: {op.name} must declare {dict(expected)}, declared {op.variables}",
                           "variableMismatch")
    for name, kind in op.variables.items():
        _valid(given.get(name), kind, inputs, name)


def resolve(value: Any, variables: Mapping[str, Any]) -> Any:
    if isinstance(value, Var):
        return variables.get(value.name)
    if isinstance(value, list):
        return [resolve(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, variables) for k, v in value.items()}
    return value


# -- data and projection ------------------------------------------------------------------------------------
@dataclass
class Connection:
    """A paged list (`first` required): → {nodes, edges, pageInfo}."""

    typename: str
    items: list[dict[str, Any]]


@dataclass
class Limited:
    """A plain list field that takes `first` (e.g. Order.fulfillments)."""

    items: list[dict[str, Any]]


def _first(item: Field, variables: Mapping[str, Any], required: bool) -> int | None:
    first = resolve(item.args.get("first"), variables)
    if first is None:
        if required:
            raise GraphQLError(f"you must provide one of first or last on {item.name}", "argumentRequired")
        return None
    if isinstance(first, bool) or not isinstance(first, int) or not 0 <= first <= CONNECTION_MAX:
        raise GraphQLError(f"The first argument of {item.name} must be between 0 and {CONNECTION_MAX}",
                           "argumentLiteralsIncompatible")
    return first


def connection(typename: str, items: list[dict[str, Any]], has_next: bool, cursors: list[str]) -> dict[str, Any]:
    return {"__typename": typename, "nodes": items,
            "edges": [{"__typename": "Edge", "cursor": c, "node": n} for c, n in zip(cursors, items)],
            "pageInfo": {"__typename": "PageInfo", "hasNextPage": has_next, "hasPreviousPage": False,
                         "startCursor": cursors[0] if cursors else None,
                         "endCursor": cursors[-1] if cursors else None}}


def project(obj: Mapping[str, Any], fields: list[Field], variables: Mapping[str, Any],
            path: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in fields:
        at = path + [item.key]
        if item.name == "__typename":
            out[item.key] = obj["__typename"]
            continue
        if item.name not in obj:
            typename = obj.get("__typename", "?")
            raise GraphQLError(f"Field '{item.name}' doesn't exist on type '{typename}'", "undefinedField",
                               at, typeName=typename, fieldName=item.name)
        out[item.key] = _shape(obj[item.name], item, variables, at)
    return out


def _shape(value: Any, item: Field, variables: Mapping[str, Any], path: list[str]) -> Any:
    if value is None:
        return None
    if isinstance(value, Connection):
        first = _first(item, variables, required=True)
        assert first is not None
        value = connection(value.typename, value.items[:first], len(value.items) > first,
                           [f"c{i}" for i in range(min(first, len(value.items)))])
    elif isinstance(value, Limited):
        first = _first(item, variables, required=False)
        value = value.items if first is None else value.items[:first]
    if isinstance(value, list):
        return [_shape(v, item, variables, path) for v in value]
    if isinstance(value, dict):
        if not item.children:
            raise GraphQLError(f"Field must have selections (field '{item.name}' returns "
                               f"{value.get('__typename')} but has no selections)", "selectionMismatch", path)
        return project(value, item.children, variables, path)
    if item.children:
        raise GraphQLError(f"Selections can't be made on scalars (field '{item.name}')", "selectionMismatch", path)
    return value


def check_sizes(fields: list[Field], variables: Mapping[str, Any]) -> None:
    """Every `first` argument is within 0..CONNECTION_MAX (checked before the cost)."""
    for item in fields:
        if "first" in item.args:
            _first(item, variables, required=False)
        check_sizes(item.children, variables)


# -- cost -----------------------------------------------------------------------------------------------
def requested_cost(fields: list[Field], variables: Mapping[str, Any]) -> int:
    """Before running: each object 1, each connection 2 + first × its node's cost."""
    total = 0
    for item in fields:
        if not item.children:
            continue
        first = resolve(item.args.get("first"), variables)
        if isinstance(first, int) and not isinstance(first, bool):
            node = _node_fields(item)
            per = 1 + requested_cost(node, variables) if node is not None else 1 + requested_cost(item.children,
                                                                                                   variables)
            total += (2 if node is not None else 0) + first * per
        else:
            total += 1 + requested_cost(item.children, variables)
    return total


def _node_fields(item: Field) -> list[Field] | None:
    """The per-node selection of a connection field (its `nodes` or `edges.node`), or None."""
    for child in item.children:
        if child.name == "nodes":
            return child.children
        if child.name == "edges":
            for grandchild in child.children:
                if grandchild.name == "node":
                    return grandchild.children
    return None


def actual_cost(fields: list[Field], data: Any) -> int:
    """After running: the same rule over what was returned."""
    if isinstance(data, list):
        return sum(actual_cost(fields, d) for d in data)
    if not isinstance(data, Mapping):
        return 0
    total = 0
    for item in fields:
        value = data.get(item.key)
        if not item.children or value is None:
            continue
        node = _node_fields(item)
        if node is not None and isinstance(value, Mapping):
            nodes = value.get("nodes") or [e.get("node") for e in value.get("edges") or []]
            total += 2 + sum(1 + actual_cost(node, n) for n in nodes)
        elif isinstance(value, list):
            total += sum(1 + actual_cost(item.children, v) for v in value)
        else:
            total += 1 + actual_cost(item.children, value)
    return total
