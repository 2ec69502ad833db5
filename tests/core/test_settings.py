"""Configuration comes from the environment, with safe local defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from healthpress.settings import env

ROOT = Path(__file__).resolve().parents[2]
# The browser tests allow async-unsafe ORM calls for their own process; a settings check in a
# subprocess must start from a clean environment.
CLEAN_ENV = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_settings(module, extra_env, code="print('ok')", unset=()):
    environ = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV | set(unset)}
    environ.update(extra_env, DJANGO_SETTINGS_MODULE=module)
    script = f"import django; django.setup(); from django.conf import settings; {code}"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True
    )


def test_env_bool_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match='"DEBUG" invalid: Not a valid boolean'):
        env.env_bool("DEBUG")


@pytest.mark.parametrize(
    "variable, value",
    [
        ("ADMIN_ADDRESS_FAILURES", "abc"),
        ("PAGE_CACHE_RENDER_WAIT_SECONDS", "soon"),
        ("COMMENTS_TRUSTED_COMMENTERS", "perhaps"),
        ("SEARCH_RATE_LIMITS", "30 per minute"),
        ("PAGE_CACHE_MAX_MB", "1.5"),
    ],
)
def test_a_bad_value_stops_the_start_with_an_error_naming_the_variable(tmp_path, variable, value):
    # On the local stack, where every one of them is read (with Redis the page cache has no
    # size in megabytes).
    result = run_settings(
        "healthpress.settings.dev",
        {"HEALTHPRESS_VAR_DIR": str(tmp_path), variable: value},
        unset=("REDIS_URL", "DATABASE_URL"),
    )
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured")
    assert f'"{variable}" invalid' in last and "docs/settings.md" in last


def test_typed_values_and_empty_variables_take_the_default(tmp_path):
    show = (
        "print(settings.ADMIN_ADDRESS_FAILURES, settings.PAGE_CACHE_RENDER_WAIT_SECONDS, "
        "settings.SEARCH_RATE_LIMITS, settings.COMMENTS_RATE_LIMITS, settings.ALLOWED_HOSTS, "
        "settings.COMMENTS_TRUSTED_COMMENTERS, settings.SESSION_COOKIE_AGE, settings.TIME_ZONE)"
    )
    extra = {
        "HEALTHPRESS_VAR_DIR": str(tmp_path),
        "ADMIN_ADDRESS_FAILURES": "7",
        "PAGE_CACHE_RENDER_WAIT_SECONDS": "2.5",
        "SEARCH_RATE_LIMITS": " 4/60 , 40/3600 ",
        "COMMENTS_RATE_LIMITS": "off",
        "ALLOWED_HOSTS": " health.example, ,www.health.example",
        "COMMENTS_TRUSTED_COMMENTERS": "yes",
        "ADMIN_SESSION_HOURS": "0.5",
        "TIME_ZONE": "",  # empty counts as unset
    }
    result = run_settings("healthpress.settings.dev", extra, show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "7 2.5 [(4, 60), (40, 3600)] [] ['health.example', 'www.health.example'] True 1800 UTC"
    )


def test_local_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(env, "VAR_DIR", tmp_path)
    first = env.local_secret_key()
    assert len(first) >= 50
    assert env.local_secret_key() == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_production_settings_refuse_to_start_without_secret_key(tmp_path):
    result = run_settings(
        "healthpress.settings.production",
        {"ALLOWED_HOSTS": "health.example", "HEALTHPRESS_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_settings_have_debug_off(tmp_path):
    result = run_settings(
        "healthpress.settings.production",
        {
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "health.example",
            "EMAIL_HOST": "smtp.health.example",
            "HEALTHPRESS_VAR_DIR": str(tmp_path),
        },
        code="print(settings.DEBUG, settings.ALLOWED_HOSTS)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['health.example']"


def test_production_settings_require_two_step_sign_in_and_dev_does_not(tmp_path):
    production = {
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "health.example",
        "EMAIL_HOST": "smtp.health.example",
        "HEALTHPRESS_VAR_DIR": str(tmp_path),
    }
    show = "print(settings.ADMIN_TWO_FACTOR)"
    result = run_settings("healthpress.settings.production", production, code=show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"  # who must: their powers (tests/signin/test_who_must.py)
    dev = run_settings("healthpress.settings.dev", {"HEALTHPRESS_VAR_DIR": str(tmp_path)}, show)
    assert dev.stdout.startswith("False"), dev.stderr


def test_dev_settings_turn_debug_on_and_default_to_sqlite_in_var(tmp_path):
    result = run_settings(
        "healthpress.settings.dev",
        {"HEALTHPRESS_VAR_DIR": str(tmp_path), "DATABASE_URL": ""},
        code="print(settings.DEBUG, settings.DATABASES['default']['NAME'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"True {tmp_path / 'healthpress.sqlite3'}"


def test_database_url_selects_postgresql(tmp_path):
    result = run_settings(
        "healthpress.settings.dev",
        {
            "HEALTHPRESS_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://hp@db.internal:5433/healthpress",
        },
        code="d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        "5433",
        "healthpress",
    ]


@pytest.mark.parametrize(
    "setting, expected", [("", "True 5"), ("true", "True 5"), ("false", "None None")]
)
def test_postgresql_prepares_statements_unless_told_not_to(tmp_path, setting, expected):
    result = run_settings(
        "healthpress.settings.dev",
        {
            "HEALTHPRESS_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://hp@db.internal:5433/healthpress",
            "DATABASE_PREPARED_STATEMENTS": setting,
        },
        code="o = settings.DATABASES['default'].get('OPTIONS', {}); "
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_statements_are_prepared_on_the_postgresql_test_run(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("this run uses SQLite")
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute("SELECT %s::int + 1", [41])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1


def test_sqlite_uses_wal_and_immediate_transactions(settings):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("this run uses PostgreSQL")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


def test_production_settings_pass_djangos_deploy_check(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV | {"DATABASE_URL"}}
    environ.update(
        DJANGO_SETTINGS_MODULE="healthpress.settings.production",
        SECRET_KEY="a-long-random-production-key-" + "q8Z3vK1mN5pR7tW9yB2dF4hJ6" * 2,
        ALLOWED_HOSTS="health.example",
        EMAIL_HOST="smtp.health.example",
        HEALTHPRESS_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_redis_url_selects_redis_for_cache_and_a_separate_database_for_pages(tmp_path):
    result = run_settings(
        "healthpress.settings.dev",
        {"HEALTHPRESS_VAR_DIR": str(tmp_path), "REDIS_URL": "redis://cache.internal:6379/2"},
        code="c = settings.CACHES; print(c['default']['LOCATION'], c['pages']['LOCATION'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "redis://cache.internal:6379/2",
        "redis://cache.internal:6379/3",
    ]


def test_production_settings_refuse_to_print_emails_unless_told(tmp_path):
    base = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "health.example"}
    base["HEALTHPRESS_VAR_DIR"] = str(tmp_path)
    result = run_settings("healthpress.settings.production", base)
    assert result.returncode != 0 and "Set EMAIL_HOST" in result.stderr
    console = "django.core.mail.backends.console.EmailBackend"
    chosen = run_settings(
        "healthpress.settings.production",
        {**base, "EMAIL_BACKEND": console},
        code="print(settings.EMAIL_BACKEND)",
    )
    assert chosen.returncode == 0 and chosen.stdout.strip() == console


@pytest.mark.parametrize(
    "extra_env, args",
    [({"ALLOWED_HOSTS": "health.example.org"}, []), ({}, ["--host", "0.0.0.0"])],
)
def test_make_serve_without_secret_key_refuses_anything_but_a_local_trial(
    tmp_path, extra_env, args
):
    environ = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV | {"SECRET_KEY"}}
    environ.update(HEALTHPRESS_VAR_DIR=str(tmp_path), **extra_env)
    result = subprocess.run(
        [sys.executable, "-m", "healthpress.launch.serve", "--no-worker", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "only a local trial can run" in result.stderr
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, "False 'self'"),
        ("true", "True 'self' https://releases.wagtail.org"),
        ("lts", "lts 'self' https://releases.wagtail.org"),
    ],
)
def test_wagtail_update_check_is_off_unless_the_environment_turns_it_on(tmp_path, value, expected):
    # Empty counts as unset, and overrides whatever the calling shell exported.
    extra = {"HEALTHPRESS_VAR_DIR": str(tmp_path), "WAGTAIL_ENABLE_UPDATE_CHECK": value or ""}
    show = (
        "print(settings.WAGTAIL_ENABLE_UPDATE_CHECK, "
        "*settings.ADMIN_CONTENT_SECURITY_POLICY['DIRECTIVES']['connect-src'], "
        "settings.WAGTAIL_GRAVATAR_PROVIDER_URL)"
    )
    result = run_settings("healthpress.settings.dev", extra, show)
    assert result.returncode == 0, result.stderr
    # Avatars stay local whatever the update check does.
    assert result.stdout.strip() == f"{expected} None"
