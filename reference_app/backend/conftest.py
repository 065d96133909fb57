"""Makes the ``blog`` package and the tests' helper modules importable without installing
anything.

The tests run both from this folder (``python -m pytest``) and as part of archlint's own test
suite, from the repository root, where these folders are not on ``sys.path``.
"""

import sys
from pathlib import Path

BACKEND = Path(__file__).resolve().parent
for folder in (BACKEND, BACKEND / "tests"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
