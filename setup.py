"""Build hook: the wheel ships the knowledge already compiled (`knowledge/compiled/`), so that a
fresh install answers its first question as fast as the next ones (see knowledge/compiled.py).

The YAML is validated whole while the wheel is built, exactly as at run time; a broken knowledge
file fails the build with the loader's message. Editable installs compile at first use instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

COMPILE = (
    "from knowledge import compiled, loader\n"
    "root = loader.DATA_DIR\n"
    "knowledge = loader.load_knowledge_from(root)\n"
    "key = compiled.fingerprint(root).key\n"
    "if not compiled.write(compiled.PACKAGED, key, loader.parts(knowledge), public=True):\n"
    "    raise SystemExit('could not write ' + str(compiled.PACKAGED))\n"
)


class BuildWithCompiledKnowledge(build_py):
    """`build_py`, then the knowledge compiled into the built package."""

    def run(self) -> None:
        """Copy the packages, then compile the knowledge from the copy (its own code and data)."""
        super().run()
        if self.editable_mode:
            return
        built = Path(self.build_lib).resolve()
        # From the built copy (PYTHONPATH and working folder), never the source tree; only the
        # wheel's folder is written (no user cache).
        env = {**os.environ, "PYTHONPATH": str(built), "CHAISEVIDE_CACHE_DIR": ""}
        subprocess.run([sys.executable, "-c", COMPILE], env=env, cwd=built, check=True)  # noqa: S603


setup(cmdclass={"build_py": BuildWithCompiledKnowledge})
