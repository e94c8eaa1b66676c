"""Writes dnsbl/__init__.pyi, the package's stub, from its source.

usage: make_stub.py INIT_PY DOC_PY OPTIONS_JSON OUT_PYI

The stub is dnsbl/__init__.py's public surface (its classes, functions
and annotated names, with their docstrings and bodies left out) where
`**options: Any` of Checker.__init__, bulk and zones becomes one typed
keyword parameter per option of the options' table (OPTIONS_JSON, from
python/typing_gen), and their docstrings list the options as help() does
(DOC_PY's with_options). Runs at build time under any Python 3.9 or later.
"""

import ast
import importlib.util
import json
import sys
from typing import Any, Dict, List, Optional

# The functions whose **options are the table's, by qualified name, and
# the entry point whose options they are.
ENTRY_POINTS = {"Checker.__init__": "Checker", "bulk": "bulk", "zones": "zones"}

# What the options' annotations name.
OPTION_IMPORTS = ["import os", "from typing import Iterable, Mapping"]


def load_doc_module(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("_doc", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def is_public(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and
                                         name.endswith("__"))


def docstring_node(text: str) -> ast.stmt:
    return ast.Expr(value=ast.Constant(value=text))


def option_parameters(entry_point: str, options: List[Dict[str, Any]],
                      indent: str) -> str:
    params = []
    for option in options:
        if entry_point in option["used_by"]:
            ast.parse(option["type"], mode="eval")  # A valid annotation.
            params.append(
                f"{indent}{option['name']}: {option['type']} | None = None,")
    return "*,\n" + "\n".join(params) + "\n" + indent[:-4]


def indented(docstring: str, depth: int) -> str:
    """`docstring` with its lines after the first indented as its place in
    the stub is (help() takes the indentation off again)."""
    pad = "    " * depth
    lines = docstring.split("\n")
    out = [lines[0]] + [pad + line if line else "" for line in lines[1:]]
    return "\n".join(out) + ("\n" + pad if len(lines) > 1 else "")


def stub_function(node: ast.AST, qualified: str, doc: Any,
                  options: List[Dict[str, Any]],
                  depth: int) -> Optional[ast.stmt]:
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    if not is_public(node.name):
        return None
    args = node.args
    docstring = ast.get_docstring(node, clean=True) or ""
    entry_point = ENTRY_POINTS.get(qualified)
    if entry_point is not None:
        if args.kwarg is None or args.kwarg.arg != "options":
            sys.exit(f"make_stub: {qualified} has no **options")
        # A marker, written out one keyword a line by make_stub().
        args.kwarg = ast.arg(arg=f"OPTIONS_{entry_point}")
        docstring = doc.with_options(docstring, entry_point, options)
    body: List[ast.stmt] = []
    if docstring:
        body.append(docstring_node(indented(docstring, depth + 1)))
    body.append(ast.Expr(value=ast.Constant(value=Ellipsis)))
    node.body = body
    return node


def stub_class(node: ast.ClassDef, doc: Any,
               options: List[Dict[str, Any]]) -> Optional[ast.stmt]:
    if not is_public(node.name):
        return None
    body: List[ast.stmt] = []
    docstring = ast.get_docstring(node, clean=True)
    if docstring:
        body.append(docstring_node(indented(docstring, 1)))
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stubbed = stub_function(item, f"{node.name}.{item.name}", doc,
                                    options, 1)
            if stubbed is not None:
                body.append(stubbed)
        elif isinstance(item, ast.AnnAssign):
            item.value = None
            body.append(item)
    if len(body) == 0 or (len(body) == 1 and docstring):
        body.append(ast.Expr(value=ast.Constant(value=Ellipsis)))
    node.body = body
    return node


def make_stub(source: str, doc: Any, options: List[Dict[str, Any]]) -> str:
    tree = ast.parse(source)
    body: List[ast.stmt] = []
    module_doc = ast.get_docstring(tree, clean=False)
    if module_doc:
        body.append(docstring_node(module_doc))
    body.extend(ast.parse("\n".join(OPTION_IMPORTS)).body)
    for node in tree.body:
        if isinstance(node, ast.Import):
            body.append(node)
        elif isinstance(node, ast.ImportFrom):
            # The extension module and private helpers have no stubs.
            names = [a for a in node.names if is_public(a.asname or a.name)]
            if names and node.module != "dnsbl":
                node.names = names
                body.append(node)
        elif isinstance(node, ast.ClassDef):
            stubbed = stub_class(node, doc, options)
            if stubbed is not None:
                body.append(stubbed)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stubbed = stub_function(node, node.name, doc, options, 0)
            if stubbed is not None:
                body.append(stubbed)
        elif isinstance(node, ast.AnnAssign):
            assert isinstance(node.target, ast.Name)
            if is_public(node.target.id):
                node.value = None
                body.append(node)
        elif isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if targets == ["__all__"]:
                body.append(node)
    module = ast.Module(body=body, type_ignores=[])
    header = ("# Generated from dnsbl/__init__.py and the options' table by "
              "python/make_stub.py;\n# do not edit.\n")
    text = ast.unparse(ast.fix_missing_locations(module))
    for entry_point, depth in (("Checker", 2), ("bulk", 1), ("zones", 1)):
        marker = f"**OPTIONS_{entry_point}"
        if text.count(marker) != 1:
            sys.exit(f"make_stub: {entry_point} takes no **options")
        text = text.replace(
            marker, option_parameters(entry_point, options, "    " * depth))
    return header + text + "\n"


def main(argv: List[str]) -> None:
    if len(argv) != 5:
        sys.exit("usage: make_stub.py INIT_PY DOC_PY OPTIONS_JSON OUT_PYI")
    with open(argv[1], encoding="utf-8") as f:
        source = f.read()
    with open(argv[3], encoding="utf-8") as f:
        options = json.load(f)
    stub = make_stub(source, load_doc_module(argv[2]), options)
    with open(argv[4], "w", encoding="utf-8") as f:
        f.write(stub)


if __name__ == "__main__":
    main(sys.argv)
