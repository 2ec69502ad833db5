"""Templates keep the layers import-linter keeps for Python (pyproject [tool.importlinter]).

import-linter sees `import` statements only: a template of a lower app that loads a higher app's
tag library, or includes a higher app's template, makes the lower layer depend on the higher one
without a line of Python saying so. Pages that put several apps together are composed at the top,
in the project-level folder healthpress/templates/ (docs/architecture.md, "Templates").

The rule, for every template file under healthpress/<app>/templates/:
- `{% load %}` only libraries of its own app, of a lower layer, or of Django/Wagtail;
- `{% include %}` / `{% extends %}` only templates (found as Django finds them) of its own app, a
  lower layer, Django/Wagtail, or the site's frame the project provides (FRAME);
- no template name held in a variable: it could not be checked.
And a Python module of <app> names only templates of its own namespace (`<app>/…`, which the
project may supply, as it does the composed pages) or of a lower app's.
"""

import ast
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest
from django.template import TemplateDoesNotExist, engines, loader
from django.template.base import Lexer, TokenType

import healthpress
from healthpress.articles.models import ArticlePage
from healthpress.core.models import HomePage, TopicPage

PACKAGE = Path(healthpress.__file__).parent
PROJECT_TEMPLATES = PACKAGE / "templates"
PYPROJECT = PACKAGE.parent / "pyproject.toml"

# The project-level templates an app's page may extend: the page frame Django's convention has
# the project supply (an app fills its blocks; it never includes the project's parts).
FRAME = {"base.html"}

# The error pages Django's handlers look for by status (`404.html`, `500.html`) live at the top by
# Django's convention; core's 500 handler names them the same way.
ERROR_PAGE = re.compile(r"^\d{3}\.html$")

TEMPLATE_NAME = re.compile(r"^[\w./-]+\.(?:html|txt|xml)$")


@cache
def ranks():
    """{app: (rank, siblings may depend on each other)}; rank 0 is the top layer. Read from the
    import-linter contract, so the templates follow the same picture as the imports."""
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
    [contract] = [c for c in config if c["type"] == "layers"]
    result = {}
    for rank, layer in enumerate(contract["layers"]):
        layer = layer.strip().strip("()")
        shared = ":" in layer  # `a : b` siblings may import each other, `a | b` may not
        for module in re.split(r"[|:]", layer):
            parts = module.strip().split(".")
            if parts[0] == "healthpress" and len(parts) == 2:
                result[parts[1]] = (rank, shared)
    return result


def may_use(user, used):
    """Whether app `user` may depend on app `used` (None: Django, Wagtail or another library)."""
    if used is None or used == user:
        return True
    user_rank, shared = ranks()[user]
    used_rank, _ = ranks()[used]
    return used_rank > user_rank or (used_rank == user_rank and shared)


def app_of_path(path):
    """The healthpress app a file belongs to, "project" for healthpress/templates/, or None."""
    path = Path(path).resolve()
    if PROJECT_TEMPLATES in path.parents:
        return "project"
    if PACKAGE not in path.parents:
        return None
    app = path.relative_to(PACKAGE).parts[0]
    return app if app in ranks() else None


@cache
def app_of_library(name):
    module = engines["django"].engine.libraries[name]  # the module path Django loads it from
    parts = module.split(".")
    return parts[1] if parts[0] == "healthpress" and parts[1] in ranks() else None


@cache
def app_of_template(name):
    """Which app's folder Django takes the template `name` from (DIRS first, as Django does)."""
    return app_of_path(loader.get_template(name).origin.name)


def app_templates():
    for app in sorted(ranks()):
        folder = PACKAGE / app / "templates"
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    yield app, path


def app_python_modules():
    for app in sorted(ranks()):
        for path in sorted((PACKAGE / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def template_problems(app, source):
    """What in one template's text reaches above `app`'s layer."""
    problems = []
    for token in Lexer(source).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        bits = token.split_contents()
        if bits[0] == "load":
            # `{% load a b %}` or `{% load name1 name2 from library %}`
            libraries = [bits[-1]] if "from" in bits else bits[1:]
            for library in libraries:
                owner = app_of_library(library)
                if not may_use(app, owner):
                    problems.append(f"line {token.lineno}: loads {library} of {owner}")
        elif bits[0] in {"include", "extends"}:
            name = bits[1]
            if name[0] not in "\"'":
                problems.append(f"line {token.lineno}: {bits[0]} of a name in a variable ({name})")
                continue
            name = name[1:-1]
            owner = app_of_template(name)
            if owner == "project":
                if bits[0] != "extends" or name not in FRAME:
                    problems.append(f"line {token.lineno}: {bits[0]} {name} of the project level")
            elif not may_use(app, owner):
                problems.append(f"line {token.lineno}: {bits[0]} {name} of {owner}")
    return problems


def python_problems(app, source):
    """Template names a Python module of `app` holds (render(), inclusion_tag, template_name...)
    that Django finds in a higher app's folder, or at the project level outside `app`'s own
    namespace: the project may supply an app's template (Django's override order), but an app
    that names one of the project's own parts depends on the top."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if not TEMPLATE_NAME.match(node.value):
            continue
        try:
            owner = app_of_template(node.value)
        except TemplateDoesNotExist:
            continue  # a file name, not a template
        if owner == "project":
            if not (node.value.startswith(f"{app}/") or ERROR_PAGE.match(node.value)):
                problems.append(f"line {node.lineno}: names {node.value} of the project level")
        elif not may_use(app, owner):
            problems.append(f"line {node.lineno}: names {node.value} of {owner}")
    return problems


def test_layers_come_from_the_import_linter_contract():
    """The picture the rule reads is the one import-linter checks: core below articles below the
    features, the features independent of each other."""
    assert may_use("articles", "core")
    assert not may_use("core", "articles")
    assert not may_use("articles", "questions")
    assert not may_use("comments", "questions")
    assert may_use("demo", "questions")


@pytest.mark.parametrize(
    "source",
    [
        "{% load questions_tags %}",
        "{% load readers_questions_note from questions_tags %}",
        '{% include "newsletter/signup_box.html" %}',
        '{% include "includes/article_card.html" with article=a %}',
        "{% extends template_name %}",
    ],
)
def test_the_rule_catches_a_lower_template_reaching_up(source):
    assert template_problems("articles", source)


@pytest.mark.parametrize(
    "source",
    [
        '{% extends "base.html" %}{% load wagtailcore_tags healthpress_tags trust_tags %}',
        '{% include "people/includes/author_box.html" with person=page.author %}',
        '{% extends "wagtailadmin/base.html" %}{% include "wagtailadmin/shared/header.html" %}',
    ],
)
def test_the_rule_lets_a_template_use_its_own_layer_and_below(source):
    assert template_problems("articles", source) == []


def test_no_app_template_loads_or_includes_a_higher_apps():
    problems = [
        f"{path.relative_to(PACKAGE)} {problem}"
        for app, path in app_templates()
        for problem in template_problems(app, path.read_text())
    ]
    assert problems == [], "compose these pages in healthpress/templates/:\n" + "\n".join(problems)


def test_no_app_module_names_a_higher_apps_template():
    problems = [
        f"{path.relative_to(PACKAGE)} {problem}"
        for app, path in app_python_modules()
        for problem in python_problems(app, path.read_text())
    ]
    assert problems == [], "\n".join(problems)


def test_the_composed_pages_keep_their_names():
    """Wagtail finds a page's template by its default name (`<app>/<model>.html`): the pages
    composed at the top keep those names, served from the project-level folder."""
    for name in (ArticlePage.template, HomePage.template, TopicPage.template):
        assert app_of_template(name) == "project", name


def test_no_dead_copy_beside_a_composed_page():
    """A page moved to the project level leaves no copy in its app: Django would never read it."""
    shadowed = [
        str(path.relative_to(PACKAGE))
        for app, path in app_templates()
        if (PROJECT_TEMPLATES / path.relative_to(PACKAGE / app / "templates")).exists()
    ]
    assert shadowed == []
