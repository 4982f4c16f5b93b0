"""The layers stay apart: only civsam/ui imports Streamlit."""

import ast
from pathlib import Path

import pytest

CIVSAM = Path(__file__).resolve().parent.parent / "civsam"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", [p for p in CIVSAM.rglob("*.py") if "ui" not in p.relative_to(CIVSAM).parts],
                         ids=lambda p: str(p.relative_to(CIVSAM)))
def test_only_the_ui_layer_imports_streamlit(path):
    assert "streamlit" not in _imported_modules(path)


def _compares_the_language(path: Path) -> bool:
    return any(isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == "lang"
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("path", [*(p for p in CIVSAM.rglob("*.py") if p.name != "i18n.py"),
                                  *(CIVSAM.parent / "pages").glob("*.py")],
                         ids=lambda p: str(p.relative_to(CIVSAM.parent)))
def test_only_i18n_chooses_words_by_language(path):
    """A text that differs by language is a key in civsam/i18n.py, never an `if lang == "sv"` beside its use."""
    assert not _compares_the_language(path)


def _civsam_imports(path: Path) -> set[str]:
    """The civsam modules `path` imports by name: `from civsam import tables` is civsam.tables."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "civsam":
            names.update(f"civsam.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {name for name in names if name.startswith("civsam.")}


STORE_AND_IMPORT = {"civsam.db", "civsam.models", "civsam.importer", "civsam.agreement_import", "civsam.batches",
                    "civsam.demo", "civsam.parsing", "civsam.workbook", "civsam.reader"}


@pytest.mark.parametrize("path", [*(CIVSAM / "charts").glob("*.py"), CIVSAM / "narrative.py"],
                         ids=lambda p: str(p.relative_to(CIVSAM)))
def test_views_never_import_the_store_or_the_importer(path):
    """Charts and words are drawn from answers; they never reach the store or the import themselves."""
    assert not _civsam_imports(path) & STORE_AND_IMPORT


@pytest.mark.parametrize("path, kept_out", [
    ("db.py", {"civsam.parsing", "civsam.importer", "civsam.workbook"}),  # the store's base needs no cell parsing
    ("ui/widgets.py", {"civsam.demo"}),  # drawn on every page: the demo note asks the cached source_facts
])
def test_a_base_module_imports_no_more_than_it_uses(path, kept_out):
    assert not _civsam_imports(CIVSAM / path) & kept_out
