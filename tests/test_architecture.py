"""The import rules of docs/architecture.md, checked on every module's source, lazy imports included.

Data flows one way (files → ingest → nlp → store → search → export → ui, with cli on top), so each
package may import only the layers beneath it. A rule broken here means a module reached up
or sideways; the fix is to move the code, not to widen the table.
"""

import ast
from pathlib import Path

import pytest

import newsreader

PACKAGE = Path(newsreader.__file__).parent

# package -> the packages of ours it may import (top-level modules are leaves: anyone may import them)
MAY_IMPORT: dict[str, set[str]] = {
    "runtime": set(),
    "ingest": set(),
    "userdata": {"ingest"},
    "nlp": {"ingest", "userdata", "runtime"},
    "store": {"ingest", "nlp"},
    "search": {"ingest", "nlp", "store", "userdata", "runtime"},
    "export": {"ingest", "nlp", "store", "search", "userdata", "runtime"},
    "analysis": {"ingest", "nlp", "search", "runtime"},
    "ui": {"ingest", "nlp", "store", "search", "userdata", "runtime", "export"},
    "cli": {"ingest", "nlp", "store", "search", "userdata", "runtime", "export", "ui", "analysis"},
}
UI_LIBRARIES = {"textual", "rich"}  # only ui/ draws; cli reaches them through ui


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _part_of(source: Path) -> str:
    """The package a module belongs to, or "leaf" for a top-level module such as wording.py.

    `python -m newsreader` (__main__.py) is an entry point, so it counts as cli.
    """
    parts = source.relative_to(PACKAGE).parts
    if len(parts) > 1:
        return parts[0]
    return "cli" if source.name == "__main__.py" else "leaf"


def _imports(source: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source.read_text("utf-8"), str(source))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module == "newsreader":  # from newsreader import x: x is the module imported
                found += [(node.lineno, f"newsreader.{alias.name}") for alias in node.names]
    return found


def _target(module: str) -> str | None:
    """Which of our packages (or "leaf") an imported module name belongs to; None if it is not ours."""
    parts = module.split(".")
    if parts[0] != "newsreader" or len(parts) == 1:
        return None
    return parts[1] if (PACKAGE / parts[1]).is_dir() else "leaf"


def _violations(source: Path) -> list[str]:
    part, problems = _part_of(source), []
    for line, module in _imports(source):
        target = _target(module)
        if module.split(".")[0] in UI_LIBRARIES and part != "ui":
            problems.append(f"{source.relative_to(PACKAGE)}:{line} imports {module}: only ui/ may")
        if target is None or target == part or target == "leaf":
            continue
        if target not in MAY_IMPORT.get(part, set()):
            problems.append(f"{source.relative_to(PACKAGE)}:{line} imports {module}: {part} may not import {target}")
    return problems


def test_every_package_is_in_the_table():
    packages = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    assert packages == set(MAY_IMPORT)


def test_no_module_imports_against_the_flow():
    problems = [problem for source in _sources() for problem in _violations(source)]
    assert problems == []


@pytest.mark.parametrize(
    ("part", "module", "expected"),
    [
        ("nlp", "from newsreader.ui.widgets.reader import ReaderPane", "nlp may not import ui"),
        ("store", "import textual.widget", "only ui/ may"),
        ("ingest", "def later():\n    from newsreader.store.corpus import Store", "ingest may not import store"),
        ("wording.py", "from newsreader.ingest import load", "leaf may not import ingest"),
    ],
)
def test_the_checker_catches_a_broken_rule(tmp_path, monkeypatch, part, module, expected):
    """The rules bite: a module placed in a layer with a forbidden import is reported."""
    fake_package = tmp_path / "newsreader"
    for name in MAY_IMPORT:
        (fake_package / name).mkdir(parents=True)
        (fake_package / name / "__init__.py").write_text("")
    source = fake_package / part if part.endswith(".py") else fake_package / part / "module.py"
    source.write_text(module + "\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake_package)
    assert any(expected in problem for problem in _violations(source))
