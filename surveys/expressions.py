"""The XLSForm expressions a questionnaire carries (relevance, constraint, calculation), read and
evaluated exactly for the subset of XPath 1.0 we support, and refused by name otherwise.

Supported: numbers, 'strings', ${question}, `.` (the answer being checked), parentheses, the
operators or, and, =, !=, <, <=, >, >=, +, -, *, div, mod, unary minus, and the functions in
FUNCTIONS. Values follow XPath 1.0: a multiple-choice answer is its values separated by spaces,
no answer is the empty string, a comparison with a number compares numbers (NaN compares false).
The parsed tree is plain lists (["ref", "a"], ["op", "and", x, y]...) so the page's script
(static/surveys/form.js) evaluates the very same tree."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

FUNCTIONS: dict[str, tuple[int, int]] = {
    # name: (fewest, most) arguments
    "selected": (2, 2),
    "not": (1, 1),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "if": (3, 3),
    "coalesce": (2, 2),
    "number": (1, 1),
    "int": (1, 1),
    "string": (1, 1),
    "concat": (1, 20),
    "regex": (2, 2),
    "round": (1, 2),
    "contains": (2, 2),
    "starts-with": (2, 2),
}
OPERATORS = [["or"], ["and"], ["=", "!="], ["<=", ">=", "<", ">"], ["+", "-"], ["*", "div", "mod"]]
TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<str>'[^']*'|\"[^\"]*\")|(?P<ref>\$\{(?P<name>[A-Za-z_][\w.-]*)\})"
    r"|(?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)|(?P<word>[A-Za-z_][\w.-]*(?:-[\w]+)*)|(?P<dot>\.))"
)
Tree = list[Any]


class ExpressionError(ValueError):
    """The expression is not in the supported subset; the message (Vietnamese) says what is not."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError(f"không hiểu đoạn “{text[pos : pos + 20]}”")
        pos = match.end()
        kind = match.lastgroup or ""
        if kind == "name":
            kind = "ref"
        value = match["name"] if kind == "ref" else match.group(kind)
        out.append((kind, value))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.i = tokens, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError("biểu thức kết thúc giữa chừng")
        self.i += 1
        return token

    def expect(self, value: str) -> None:
        token = self.take()
        if token[1] != value:
            raise ExpressionError(f"cần “{value}” nhưng gặp “{token[1]}”")

    def binary(self, level: int) -> Tree:
        if level == len(OPERATORS):
            return self.unary()
        left = self.binary(level + 1)
        while (token := self.peek()) is not None and token[0] in ("op", "word") and token[1] in OPERATORS[level]:
            self.i += 1
            left = ["op", token[1], left, self.binary(level + 1)]
        return left

    def unary(self) -> Tree:
        token = self.peek()
        if token == ("op", "-"):
            self.i += 1
            return ["neg", self.unary()]
        return self.primary()

    def primary(self) -> Tree:
        kind, value = self.take()
        if kind == "num":
            return ["num", float(value)]
        if kind == "str":
            return ["str", value[1:-1]]
        if kind == "ref":
            return ["ref", value]
        if kind == "dot":
            return ["self"]
        if kind == "op" and value == "(":
            inner = self.binary(0)
            self.expect(")")
            return inner
        if kind == "word" and self.peek() == ("op", "("):
            if value not in FUNCTIONS:
                raise ExpressionError(f"hàm “{value}()” chưa được hỗ trợ")
            self.i += 1
            args: list[Tree] = []
            if self.peek() != ("op", ")"):
                args.append(self.binary(0))
                while self.peek() == ("op", ","):
                    self.i += 1
                    args.append(self.binary(0))
            self.expect(")")
            fewest, most = FUNCTIONS[value]
            if not fewest <= len(args) <= most:
                raise ExpressionError(f"hàm “{value}()” nhận sai số đối số")
            return ["fn", value, args]
        raise ExpressionError(f"“{value}” chưa được hỗ trợ (chỉ hỗ trợ ${{câu}}, số, 'chuỗi', các phép so sánh và hàm cơ bản)")


@lru_cache(maxsize=2048)
def _parse_cached(text: str) -> Tree:
    parser = _Parser(_tokens(text))
    tree = parser.binary(0)
    if parser.peek() is not None:
        raise ExpressionError(f"thừa “{parser.take()[1]}” ở cuối biểu thức")
    return tree


def parse(text: str) -> Tree:
    """The tree of `text`, or ExpressionError."""
    return _parse_cached(text.strip())


def references(tree: Tree) -> set[str]:
    """The question codes a tree reads."""
    kind = tree[0]
    if kind == "ref":
        return {tree[1]}
    if kind == "op":
        return references(tree[2]) | references(tree[3])
    if kind == "neg":
        return references(tree[1])
    if kind == "fn":
        return set().union(*(references(a) for a in tree[2]))
    return set()


# --- Evaluation (XPath 1.0 conversions) -----------------------------------------------------------
def _string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(_string(value).strip())
    except ValueError:
        return math.nan


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return not math.isnan(value) and value != 0
    return _string(value) != ""


def _compare(op: str, a: Any, b: Any) -> bool:
    if op in ("=", "!="):
        if isinstance(a, bool) or isinstance(b, bool):
            equal = _boolean(a) == _boolean(b)
        elif isinstance(a, (int, float)) or isinstance(b, (int, float)):
            equal = _number(a) == _number(b)
        else:
            equal = _string(a) == _string(b)
        return equal if op == "=" else not equal
    x, y = _number(a), _number(b)
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


def evaluate(tree: Tree, answers: dict[str, Any], current: Any = None) -> Any:
    """The value of `tree` for these answers (`current` is `.`)."""
    kind = tree[0]
    if kind in ("num", "str"):
        return tree[1]
    if kind == "ref":
        value = answers.get(tree[1])
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else _string(value)
    if kind == "self":
        return float(current) if isinstance(current, (int, float)) and not isinstance(current, bool) else _string(current)
    if kind == "neg":
        return -_number(evaluate(tree[1], answers, current))
    if kind == "op":
        op, left = tree[1], evaluate(tree[2], answers, current)
        if op == "or":
            return _boolean(left) or _boolean(evaluate(tree[3], answers, current))
        if op == "and":
            return _boolean(left) and _boolean(evaluate(tree[3], answers, current))
        right = evaluate(tree[3], answers, current)
        if op in ("=", "!=", "<", "<=", ">", ">="):
            return _compare(op, left, right)
        x, y = _number(left), _number(right)
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "div":
            return math.nan if y == 0 else x / y
        return math.nan if y == 0 else math.fmod(x, y)
    name, args = tree[1], [evaluate(a, answers, current) for a in tree[2]]
    return _function(name, args)


def _function(name: str, args: list[Any]) -> Any:
    if name == "selected":
        return _string(args[1]).strip() in _string(args[0]).split()
    if name == "not":
        return not _boolean(args[0])
    if name == "count-selected":
        return float(len(_string(args[0]).split()))
    if name == "string-length":
        return float(len(_string(args[0])))
    if name in ("true", "false"):
        return name == "true"
    if name == "if":
        return args[1] if _boolean(args[0]) else args[2]
    if name == "coalesce":
        return args[0] if _string(args[0]) != "" else args[1]
    if name == "number":
        return _number(args[0])
    if name == "int":
        x = _number(args[0])
        return x if math.isnan(x) or math.isinf(x) else float(math.trunc(x))
    if name == "string":
        return _string(args[0])
    if name == "concat":
        return "".join(_string(a) for a in args)
    if name == "regex":
        try:
            return re.search(_string(args[1]), _string(args[0])) is not None
        except re.error:
            return False
    if name == "round":
        x, places = _number(args[0]), int(_number(args[1])) if len(args) > 1 else 0
        if math.isnan(x) or math.isinf(x):
            return x
        factor = 10.0**places
        return math.floor(x * factor + 0.5) / factor
    if name == "contains":
        return _string(args[1]) in _string(args[0])
    return _string(args[0]).startswith(_string(args[1]))  # starts-with


def holds(text: str, answers: dict[str, Any], current: Any = None) -> bool:
    """Whether a relevance or constraint expression is true (an empty expression is)."""
    return True if not text.strip() else _boolean(evaluate(parse(text), answers, current))


def display(value: Any) -> str:
    """A calculation's value as the form shows it."""
    return _string(value)
