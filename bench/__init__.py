"""Benchmarks and load harnesses behind `make bench`; a package so that tests can import a harness
(`from bench import comment_load`) and a load-test server can name its settings module
(`DJANGO_SETTINGS_MODULE=bench.comment_load_settings`). Nothing in healthpress/ imports it."""
