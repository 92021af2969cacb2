"""Known failures of the site itself, found by the gates and not fixed yet.

Each entry is skipped by its gate's main check (so a NEW problem still fails) and has a strict-xfail test of
its own, `test_known_*_defect_is_fixed[<id>]`. Fix the site, run the gates: that test now passes, pytest
reports XPASS(strict) as a failure, and you delete the entry here. Never add an entry for a problem you
could fix now; accepted third-party markup belongs in allowlists/ with a reason, not here.

`rule`: an axe rule id (gate "axe"; these entries also explain Lighthouse accessibility audits) or a regular
expression matched in full against a Nu checker message (gate "vnu"). `target`: a regular expression
searched in the axe selector or the Nu checker's extract ("" = any). `pages`: a glob on the page path.
"""

from __future__ import annotations

from gatekit import Defect

SITE_DEFECTS: dict[str, list[Defect]] = {
    "axe": [],
    "vnu": [],
}
