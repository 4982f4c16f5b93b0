"""The layers stay apart: only civsam/ui imports Streamlit, the store never imports the import, no module imports
itself round a cycle, and no module grows past what one reads at a sitting."""

import ast
from pathlib import Path

import pytest

CIVSAM = Path(__file__).resolve().parent.parent / "civsam"
# the store (schema, writes, organisation links, batches and undo, audit, people, demo, fingerprint, and what
# they stand on) sits below the import (files in: reader, file checks, workbook, parsing, the sheet readers)
STORE = ("models", "migrations", "db", "settings", "reference", "typed_text", "keys", "links", "batches", "audit",
         "people", "demo", "fingerprint")
IMPORT = ("reader", "filecheck", "workbook", "parsing", "importing")
LONGEST_MODULE = 500  # lines; i18n.py is the texts, not code
MODULES = {".".join(path.relative_to(CIVSAM.parent).with_suffix("").parts).removesuffix(".__init__"): path
           for path in CIVSAM.rglob("*.py")}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def _civsam_imports(path: Path) -> set[str]:
    """The civsam modules a module imports, by dotted name: `from civsam.x import y` names civsam.x.y when that
    is a module, civsam.x otherwise."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.split(".")[0] == "civsam")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "civsam":
            names.update(f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES else node.module
                         for alias in node.names)
    return names


def _in_layer(module: str, layer: tuple[str, ...]) -> bool:
    return module.split(".")[1] in layer if module.count(".") else False


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


STORE_AND_IMPORT = ("db", "models", "links", "batches", "demo", *IMPORT)


@pytest.mark.parametrize("path", [*(CIVSAM / "charts").glob("*.py"), CIVSAM / "narrative.py"],
                         ids=lambda p: str(p.relative_to(CIVSAM)))
def test_views_never_import_the_store_or_the_importer(path):
    """Charts and words are drawn from answers; they never reach the store or the import themselves."""
    assert not [name for name in _civsam_imports(path) if _in_layer(name, STORE_AND_IMPORT)]


@pytest.mark.parametrize("path, kept_out", [
    ("db.py", ("parsing", "importing", "workbook")),  # the store's base needs no cell parsing
    ("ui/widgets.py", ("demo", "importing")),  # drawn on every page: the demo note asks the cached source_facts
])
def test_a_base_module_imports_no_more_than_it_uses(path, kept_out):
    assert not [name for name in _civsam_imports(CIVSAM / path) if _in_layer(name, kept_out)]


@pytest.mark.parametrize("module", [module for module in MODULES if _in_layer(module, STORE)])
def test_the_store_never_imports_the_import(module):
    assert not [name for name in _civsam_imports(MODULES[module]) if _in_layer(name, IMPORT)]


def test_no_module_imports_itself_round_a_cycle():
    """A package's own __init__ and the civsam package do not count: importing a module runs its package's first."""
    graph = {module: _civsam_imports(path) - {"civsam"} for module, path in MODULES.items()}
    cycles = []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycles.append(path[path.index(module):] + [module])
            return
        if module in done:
            return
        for imported in sorted(graph.get(module, ())):
            visit(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert cycles == []


@pytest.mark.parametrize("module", [module for module in MODULES if module != "civsam.i18n"])
def test_no_module_is_longer_than_one_reads_at_a_sitting(module):
    assert len(MODULES[module].read_text(encoding="utf-8").splitlines()) <= LONGEST_MODULE


def test_the_keys_need_only_the_standard_library():
    """The reader's child (python -I civsam/reader.py) loads civsam/keys.py beside it, with nothing else of civsam."""
    assert not _civsam_imports(CIVSAM / "keys.py") and _imported_modules(CIVSAM / "keys.py") <= {
        "functools", "array", "collections"}
