"""A page's parent, children and siblings are asked of Wagtail's tree API (get_parent(),
child_of(), sibling_of(), treebeard's is_child_of()...), never cut from a treebeard path by hand:
one owner for the rule, which a later Wagtail or treebeard may change (docs/architecture.md)."""

import re
from pathlib import Path

import healthpress

PACKAGE = Path(healthpress.__file__).parent
# A path with its last step cut off, in Python (`path[:-steplen]`) or in SQL (`Length("path") -
# steplen`): the ways a parent was found by hand. Building new paths from the parent's (a bulk
# insert, articles/bulk_import.py) is not finding a parent, and is left to that module's reasons.
HAND_CUT = re.compile(r"path\[\s*:\s*-|[\w)\]]\s*-\s*[\w.]*steplen\b")


def test_no_module_cuts_a_parent_from_a_tree_path():
    cut = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if HAND_CUT.search(line)
    ]
    assert cut == [], "ask Wagtail's tree: get_parent(), child_of(), sibling_of(), is_child_of()"
