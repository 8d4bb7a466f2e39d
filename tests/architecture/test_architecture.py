"""The rules that keep the code easy to change: imports flow extractors -> normalizers -> pipeline,
only pipeline/orchestration/ imports dagster (its private modules only in dagster_internals.py),
pipeline/runtime/ never imports the orchestration nor the tools, and the docs are generated from
the schema declaration."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from normalizers.schema import data_dictionary_markdown
from tests.conftest import ROOT


def _imports(package: str) -> set[str]:
    names = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def _module_imports(path) -> set[str]:
    """The modules a file imports (relative imports resolved), anywhere in it (functions too)."""
    rel = path.relative_to(ROOT).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            if not node.module:  # from . import a, b
                names |= {f"{module}.{a.name}" for a in node.names}
    return names


def _pipeline_files(*sub: str):
    return sorted((ROOT / "pipeline" / Path(*sub)).rglob("*.py")) if sub else sorted((ROOT / "pipeline").rglob("*.py"))


def test_only_the_orchestration_imports_dagster():
    """Dagster (and dagster-dask, dagster-postgres) is imported by pipeline/orchestration/ alone:
    the runtime and the tools run without it (a run with nothing new never loads it)."""
    outside = {str(p.relative_to(ROOT)): sorted(m for m in _module_imports(p) if m.split(".")[0].startswith("dagster"))
               for p in _pipeline_files() if "orchestration" not in p.parts}
    assert {k: v for k, v in outside.items() if v} == {}


def test_the_runtime_never_reaches_up_into_orchestration_or_tools():
    """pipeline/runtime/ is the bottom layer: the orchestration and the tools call it, never the
    other way round."""
    up = {str(p.relative_to(ROOT)): sorted(m for m in _module_imports(p)
                                           if m.startswith(("pipeline.orchestration", "pipeline.tools", "pipeline.cli")))
          for p in _pipeline_files("runtime")}
    assert {k: v for k, v in up.items() if v} == {}


def test_the_command_line_only_parses():
    """pipeline/cli.py parses arguments and calls pipeline/tools; it reaches the orchestration only
    through the tools."""
    imports = _module_imports(ROOT / "pipeline" / "cli.py")
    assert not {m for m in imports if m.startswith("pipeline.orchestration") or m.split(".")[0].startswith("dagster")}
    assert "pipeline.tools" in imports or any(m.startswith("pipeline.tools.") for m in imports)


def test_pipeline_is_three_packages_and_the_command_line():
    """A newcomer reads the layout from the folder names: every module of pipeline/ but its
    `__init__` and `cli` lives in orchestration/, runtime/ or tools/."""
    top = sorted(p.name for p in (ROOT / "pipeline").glob("*.py"))
    assert top == ["__init__.py", "cli.py"]
    assert sorted(p.name for p in (ROOT / "pipeline").iterdir() if p.is_dir() and p.name != "__pycache__") == [
        "orchestration", "runtime", "tools"]


def test_extractors_and_normalizers_import_without_dagster():
    code = (
        "import sys, importlib, pkgutil\n"
        "sys.modules['dagster'] = None  # any import of dagster now fails\n"
        "for pkg in ('extractors', 'normalizers'):\n"
        "    m = importlib.import_module(pkg)\n"
        "    for info in pkgutil.walk_packages(m.__path__, pkg + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_imports_flow_one_way():
    assert "dagster" not in _imports("extractors") | _imports("normalizers")
    assert not {"normalizers", "pipeline"} & _imports("extractors")
    assert "pipeline" not in _imports("normalizers")


def test_every_module_says_what_it_is_for():
    for package in ("extractors", "normalizers", "pipeline"):
        for path in (ROOT / package).rglob("*.py"):
            assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), f"{path} has no module docstring"


def test_data_dictionary_is_generated_from_the_schema():
    doc = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert doc == data_dictionary_markdown(), "run `make docs` to regenerate docs/data-dictionary.md"


PRIVATE = "dagster" + "._"  # spelled in two pieces, so that this file is not a hit of the grep itself


def test_dagster_internals_are_named_in_one_module_only():
    """`grep -rn "dagster\\._" --include=*.py` finds pipeline/orchestration/dagster_internals.py and nothing else."""
    named = sorted(str(p.relative_to(ROOT)) for folder in ("pipeline", "extractors", "normalizers", "tests", "bench")
                   for p in (ROOT / folder).rglob("*.py")
                   if PRIVATE in p.read_text(encoding="utf-8") and p.name != "dagster_internals.py")
    assert named == []


def test_dagster_internals_refuse_another_dagster_version():
    """An upgrade of Dagster fails at import, loudly, until the internals are checked against it."""
    code = (
        "import dagster\n"
        "setattr(dagster, '__version__', '1.99.0')\n"
        "import pipeline.orchestration.dagster_internals\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode != 0
    assert "Dagster 1.99.0 is installed" in out.stderr and "1.13.27" in out.stderr
    from dagster import __version__

    from pipeline.orchestration.dagster_internals import WRITTEN_FOR
    assert __version__ == WRITTEN_FOR  # and the pinned version loads it


def test_no_module_of_the_packages_imports_another_modules_private_name():
    """A name with a leading underscore is its module's own: extractors/, normalizers/ and
    pipeline/ import only the public names of each other's modules (what another module needs
    is made public, and documented as such)."""
    private = {}
    for package in ("extractors", "normalizers", "pipeline"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] in
                                                         ("extractors", "normalizers", "pipeline")):
                    names = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                    if names:
                        private.setdefault(str(path.relative_to(ROOT)), []).extend(names)
    assert private == {}
