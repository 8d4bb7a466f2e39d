"""The rules that keep the code easy to change: imports flow extractors -> normalizers -> pipeline,
only pipeline/ imports dagster, and the docs are generated from the schema declaration."""

from __future__ import annotations

import ast
import subprocess
import sys

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


def test_dagster_internals_are_named_in_one_module_only():
    """`grep -rn "dagster\\._" --include=*.py` finds pipeline/orchestration/dagster_internals.py and nothing else."""
    named = sorted(str(p.relative_to(ROOT)) for folder in ("pipeline", "extractors", "normalizers", "tests", "bench")
                   for p in (ROOT / folder).rglob("*.py")
                   if "dagster._" in p.read_text(encoding="utf-8") and p.name not in ("dagster_internals.py", "test_architecture.py"))
    assert named == []


def test_dagster_internals_refuse_another_dagster_version():
    """An upgrade of Dagster fails at import, loudly, until the internals are checked against it."""
    code = (
        "import dagster\n"
        "dagster.__version__ = '1.99.0'\n"
        "import pipeline.orchestration.dagster_internals\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode != 0
    assert "Dagster 1.99.0 is installed" in out.stderr and "1.13.27" in out.stderr
    from dagster import __version__

    from pipeline.orchestration.dagster_internals import WRITTEN_FOR
    assert __version__ == WRITTEN_FOR  # and the pinned version loads it
