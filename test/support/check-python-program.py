"""Checks a generated Python program against the Python SDK without installing either (PyPI is out of reach here):
the program compiles, and each devin.<Type>(...) and devin.<Object>Args(...) call passes only keyword arguments the
SDK's class accepts. Prints each problem; exits 1 when there is one."""
import ast
import pathlib
import re
import sys

program_path, sdk = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
program = ast.parse(program_path.read_text(), str(program_path))
compile(program, str(program_path), "exec")

# Each class of the SDK by name, with the keyword arguments its __init__ takes.
accepted: dict[str, set[str]] = {}
for source in sdk.glob("*.py"):
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    args = item.args.args + item.args.kwonlyargs
                    accepted.setdefault(node.name, set()).update(a.arg for a in args)

problems = []
for node in ast.walk(program):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and node.func.value.id == "devin":
        name = node.func.attr
        # A resource's arguments are its <Type>Args class's; an object type's are its own.
        args_class = name if name.endswith("Args") else f"{name}Args"
        if args_class not in accepted:
            problems.append(f"line {node.lineno}: the SDK has no {args_class}")
            continue
        allowed = accepted[args_class] | ({"opts"} if not name.endswith("Args") else set())
        for kw in node.keywords:
            if kw.arg not in allowed:
                problems.append(f"line {node.lineno}: devin.{name} takes no argument {kw.arg}")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
