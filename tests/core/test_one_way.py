"""Each app has one way through it (docs/architecture.md, "One way through each app"): every
Wagtail hook registered in wagtail_hooks.py, every signal receiver connected in receivers.py,
every task in tasks.py, every email built in emails.py, and no import hidden inside a function
of those apps to hold a cycle of their modules together.

Read from the source (ast), so a new module that registers a hook or connects a receiver on the
side fails here, not months later when nobody finds where it is wired."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "healthpress"
APPS = ["comments", "newsletter", "questions", "health", "articles", "people", "core", "api"]
SIGNALS = {
    "post_save", "pre_save", "post_delete", "pre_delete", "page_published", "page_unpublished",
    "comment_approved", "bulk_import_finished", "post_page_move",
}  # fmt: skip


def modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield node


def is_hook_registration(node):
    return (
        node.func.attr == "register"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "hooks"
    )


def is_signal_connect(node):
    target = node.func.value
    return node.func.attr == "connect" and isinstance(target, ast.Name) and target.id in SIGNALS


def uses_name(tree, name):
    return any(
        (isinstance(n, ast.Name) and n.id == name)
        or (isinstance(n, ast.Attribute) and n.attr == name)
        for n in ast.walk(tree)
    )


def names(app, test):
    return sorted(str(path.relative_to(ROOT)) for path, tree in modules(app) if test(tree))


@pytest.mark.parametrize("app", APPS)
def test_hooks_are_registered_in_wagtail_hooks_only(app):
    found = names(app, lambda tree: any(is_hook_registration(c) for c in calls(tree)))
    assert set(found) <= {f"{app}/wagtail_hooks.py"}


@pytest.mark.parametrize("app", APPS)
def test_receivers_are_connected_in_receivers_only(app):
    found = names(app, lambda tree: any(is_signal_connect(c) for c in calls(tree)))
    assert set(found) <= {f"{app}/receivers.py"}


@pytest.mark.parametrize("app", APPS)
def test_tasks_live_in_tasks_and_emails_in_emails(app):
    def defines_task(tree):
        return any(
            isinstance(d, ast.Call) and getattr(d.func, "id", None) == "task"
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            for d in node.decorator_list
        )

    assert set(names(app, defines_task)) <= {f"{app}/tasks.py"}
    assert set(names(app, lambda tree: uses_name(tree, "EmailMessage"))) <= {f"{app}/emails.py"}


@pytest.mark.parametrize("app", ["comments", "newsletter", "questions", "health", "people"])
def test_no_import_inside_a_function_but_the_app_config_s(app):
    def imports_inside_a_function(tree):
        return any(
            isinstance(inner, ast.Import | ast.ImportFrom)
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            for inner in ast.walk(node)
        )

    assert set(names(app, imports_inside_a_function)) <= {f"{app}/apps.py"}
