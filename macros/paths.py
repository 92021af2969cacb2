"""Every path the project reads or writes, in one place."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DOCS = ROOT / "docs"
SCHEMAS = DATA / "schemas"
FRAMEWORKS = DATA / "frameworks"
CRITERIA_FILE = DATA / "criteria.yaml"
PACKAGES_FILE = DATA / "packages.yaml"
USE_CASES_FILE = DATA / "use_cases.yaml"
CLAIMS_FILE = DATA / "claims.yaml"
TEMPLATES = Path(__file__).resolve().parent / "templates"
SITE_API_DIR = "api"  # inside the built site: site/api/data.json and data.schema.json


def display(path: Path, root: Path = ROOT) -> str:
    """A path as a contributor sees it: relative to the repository root."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
