"""A small mutation test: change one thing at a time in a module and see whether its tests notice.

    python tests/mutate.py src/entente/vocabulary/asked.py tests/test_asked_dates.py [-k EXPR]

Each mutant flips one comparison, boolean operator, constant, ``not``, or makes one
``return`` give None; the module's tests run against it (from a copy of ``src``, so the
tree is never touched).  A mutant the tests pass on "survives": a case worth adding.
Prints each survivor and the score (mutants killed / mutants made).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).parents[1]
_SWAPS: dict[type, type] = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE,
                            ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot,
                            ast.IsNot: ast.Is, ast.And: ast.Or, ast.Or: ast.And}


def _sites(tree: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    """Every node a mutation applies to, with what it does, skipping docstrings."""
    docstrings = {id(n.body[0].value) for n in ast.walk(tree) if isinstance(n, ast.Module | ast.FunctionDef |
                  ast.ClassDef) and n.body and isinstance(n.body[0], ast.Expr)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            yield node, "comparison"
        elif isinstance(node, ast.BoolOp):
            yield node, "boolean"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "not"
        elif isinstance(node, ast.Constant) and id(node) not in docstrings and isinstance(node.value, str | int) \
                and not isinstance(node.value, bool):
            yield node, "constant"
        elif isinstance(node, ast.Return) and node.value is not None:
            yield node, "return"


def _mutate(source: str, index: int) -> tuple[str, str] | None:
    tree = ast.parse(source)
    sites = list(_sites(tree))
    if index >= len(sites):
        return None
    node, kind = sites[index]
    line = getattr(node, "lineno", 0)
    if isinstance(node, ast.Compare):
        node.ops[0] = _SWAPS.get(type(node.ops[0]), ast.Eq)()
    elif isinstance(node, ast.BoolOp):
        node.op = _SWAPS[type(node.op)]()
    elif isinstance(node, ast.UnaryOp):
        replacement: ast.AST = node.operand
        for parent in ast.walk(tree):
            for field, value in ast.iter_fields(parent):
                if value is node:
                    setattr(parent, field, replacement)
                elif isinstance(value, list) and node in value:
                    value[value.index(node)] = replacement
    elif isinstance(node, ast.Constant):
        node.value = node.value + 1 if isinstance(node.value, int) else (node.value + "x" if node.value else "x")
    elif isinstance(node, ast.Return):
        node.value = ast.Constant(None)
    return ast.unparse(ast.fix_missing_locations(tree)), f"line {line}: {kind}"


def main(module: str, tests: str, *pytest_args: str) -> int:
    source = (ROOT / module).read_text(encoding="utf-8")
    relative = Path(module).relative_to("src")
    survivors, made = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "src", Path(tmp) / "src")
        target = Path(tmp) / "src" / relative
        index = 0
        while (mutant := _mutate(source, index)) is not None:
            text, what = mutant
            index += 1
            target.write_text(text, encoding="utf-8")
            made += 1
            done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", tests,
                                   *pytest_args], cwd=ROOT, capture_output=True, text=True, check=False,
                                  env={"PYTHONPATH": str(Path(tmp) / "src"), "PATH": "/usr/bin:/bin",
                                       "COLUMNS": "200"})
            if done.returncode == 0:
                survivors.append(what)
                print(f"survived: {what}", flush=True)
        target.write_text(source, encoding="utf-8")
    killed = made - len(survivors)
    print(f"{module}: {killed} of {made} mutants killed ({100 * killed / max(made, 1):.0f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
