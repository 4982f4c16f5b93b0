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
