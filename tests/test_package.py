"""Entente as users install it: the wheel, in a virtual environment of its own, run away from the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

from .test_serve import _free_port, _stop, _wait_for

ROOT = Path(__file__).parents[1]


def _uv() -> str:
    found = ROOT / ".tools" / "bin" / "uv"
    if found.exists():
        return str(found)
    if shutil.which("uv"):
        return "uv"
    pytest.skip("uv is not installed: `make test` installs it in .tools")


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, check=False, env=env)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding the built wheel and exactly the locked runtime dependencies."""
    uv, where = _uv(), tmp_path_factory.mktemp("package")
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("VIRTUAL_ENV", None)
    _run(uv, "build", "--wheel", "--no-build-isolation", "--python", sys.executable, "--out-dir", str(where / "dist"),
         str(ROOT), cwd=where, env=env)
    wheel = next((where / "dist").glob("entente-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "entente/unions/baltic_entente/record.yaml" in names
    assert any(n.startswith("entente/web/templates/") for n in names)
    assert not any(n.startswith(("tests/", "bench/")) or n.endswith(".key") for n in names)
    requirements = where / "requirements.txt"
    _run(uv, "export", "--frozen", "--no-dev", "--no-emit-project", "--no-header", "--format", "requirements-txt",
         "--output-file", str(requirements), cwd=ROOT, env=env)
    _run(uv, "venv", "--quiet", "--python", sys.executable, str(where / "env"), cwd=where, env=env)
    python = str(where / "env" / "bin" / "python")
    _run(uv, "pip", "install", "--quiet", "--python", python, "--require-hashes", "-r", str(requirements),
         cwd=where, env=env)
    _run(uv, "pip", "install", "--quiet", "--python", python, "--no-deps", str(wheel), cwd=where, env=env)
    return where


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "HOME": str(home), "ENTENTE_KEY": str(home / "secretariat.key")}


def test_the_installed_command_shows_the_baltic_entente_from_its_own_files(installed: Path) -> None:
    work = installed / "elsewhere"
    work.mkdir()
    env = _clean_env(work)
    where = _run(str(installed / "env" / "bin" / "python"), "-c", "import entente.cli; print(entente.cli.__file__)",
                 cwd=work, env=env).stdout
    assert where.startswith(str(installed / "env")), where
    overview = _run(str(installed / "env" / "bin" / "entente"), "overview", cwd=work, env=env).stdout
    assert "Baltic Entente" in overview and "entente-1934" in overview
    assert (work / "entente.db").exists()


def test_the_installed_command_serves_the_web_pages(installed: Path) -> None:
    work, port = installed / "serving", _free_port()
    work.mkdir()
    server = subprocess.Popen([str(installed / "env" / "bin" / "entente"), "serve", "--port", str(port)], cwd=work,
                              env=_clean_env(work), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, server)
        page = httpx.get(f"{base}/timeline", timeout=10)
        assert page.status_code == 200 and "Baltic Entente" in page.text
        style = httpx.get(f"{base}/static/" + page.text.split('href="/static/', 1)[1].split('"', 1)[0], timeout=10)
        assert style.status_code == 200 and style.content
    finally:
        _stop(server)
