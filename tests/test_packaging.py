"""Packaging guards: our top-level package names are ours alone, and the layering
contracts of pyproject.toml (import-linter) hold."""

import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_no_other_distribution_provides_our_packages() -> None:
    providers = packages_distributions()
    for name in ("api", "schema", "ingest", "sitrep"):
        assert set(providers.get(name, [])) == {"sitrep"}, f"{name}: {providers.get(name)}"


def test_our_packages_import_from_this_checkout() -> None:
    import api
    import ingest
    import schema
    import sitrep

    for module in (api, ingest, schema, sitrep):
        assert module.__file__ is not None
        assert Path(module.__file__).resolve().is_relative_to(REPO), module.__file__


def _lint_imports(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BIN / "lint-imports"), "--config", str(config), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_import_contracts_hold() -> None:
    contracts = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert len(contracts["contracts"]) >= 3
    result = _lint_imports(REPO / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_linter_catches_a_broken_contract(tmp_path: Path) -> None:
    """The contract check can fail: schema does import sqlalchemy."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        "[tool.importlinter]\n"
        'root_packages = ["schema"]\n'
        "include_external_packages = true\n"
        "[[tool.importlinter.contracts]]\n"
        'name = "deliberately false"\n'
        'type = "forbidden"\n'
        'source_modules = ["schema.db"]\n'
        'forbidden_modules = ["sqlalchemy"]\n'
    )
    result = _lint_imports(config)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
