"""dnsbl's PEP 517 build backend: `pip install ./python` from a checkout.

The wheel is the one `PYTHON=... tools/install.sh --wheel` makes
(tools/make_wheel.sh: Bazel builds the extension module against the
running interpreter's headers, tools/make_wheel.py carries in its
libraries, audits and writes it), for the interpreter running this
backend. The checkout must be whole: the package is built from the
repository this directory is in.
"""

import os
import subprocess
import sys
from typing import Any, Dict, List, Optional

_PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_REPOSITORY = os.path.dirname(_PYTHON_DIR)


def _check_repository() -> None:
    if not os.path.exists(os.path.join(_REPOSITORY, "WORKSPACE")):
        raise RuntimeError(
            f"dnsbl's build backend builds from the repository around "
            f"{_PYTHON_DIR}, but {_REPOSITORY} has no WORKSPACE: install "
            "from a whole checkout, or install a wheel made by "
            "tools/install.sh --wheel")


def get_requires_for_build_wheel(
        config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    """Nothing from an index: Bazel and Debian's packages build it."""
    return []


def build_wheel(wheel_directory: str,
                config_settings: Optional[Dict[str, Any]] = None,
                metadata_directory: Optional[str] = None) -> str:
    """Builds the wheel for this interpreter into `wheel_directory` and
    returns its file name."""
    _check_repository()
    # pip puts its isolated environment's (randomly named) directories on
    # PATH; Bazel's actions see PATH, so they would all rebuild each time.
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(
        d for d in env.get("PATH", "").split(os.pathsep)
        if "pip-build-env-" not in d)
    result = subprocess.run(
        ["bash", os.path.join(_REPOSITORY, "tools", "make_wheel.sh"),
         sys.executable, os.path.abspath(wheel_directory)],
        stdout=subprocess.PIPE, text=True, check=False, env=env)
    if result.returncode != 0:
        raise RuntimeError(
            f"tools/make_wheel.sh failed (exit {result.returncode}); its "
            "messages are above")
    return os.path.basename(result.stdout.strip().splitlines()[-1])
