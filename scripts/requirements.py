"""Print the direct dependencies named in pyproject.toml (and its "dev" extra), one a line, for
`pip install -r`: the project itself is an application, not a package to build and install."""

import sys
import tomllib
from pathlib import Path

pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
project = tomllib.loads(pyproject.read_text())["project"]
requirements = list(project["dependencies"])
for extra in sys.argv[1:]:
    requirements += project["optional-dependencies"][extra]
print("\n".join(requirements))
