"""|iso_date, |iso_datetime and |long_date must print what Django's |date:"Y-m-d", |date:"c" and
|date:"j F Y" print."""

import datetime
import zoneinfo

from django.template import Context, Template
from django.utils import timezone, translation

from healthpress.core.templatetags.healthpress_tags import iso_date, iso_datetime, long_date

VALUES = [
    datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC),  # a clock change in London
    datetime.datetime(2026, 12, 31, 23, 59, 59, 123456, tzinfo=datetime.UTC),
    datetime.datetime(2026, 6, 1, 12, 0),  # naive
    datetime.date(2026, 2, 28),
    datetime.date(987, 1, 5),  # |date pads the year to four digits
]


def render(source, value):
    return Template("{% load healthpress_tags %}" + source).render(Context({"v": value}))


def test_the_same_as_djangos_date_filter_in_several_time_zones():
    for zone in ("UTC", "Europe/London", "Pacific/Auckland", "America/Los_Angeles"):
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            for value in VALUES:
                ours, django = (
                    render("{{ v|iso_date }}", value),
                    render("{{ v|date:'Y-m-d' }}", value),
                )
                assert ours == django, (zone, value)
                long = render("{{ v|long_date }}", value)
                assert long == render("{{ v|date:'j F Y' }}", value), (zone, value)
                if isinstance(value, datetime.datetime):
                    ours = render("{{ v|iso_datetime }}", value)
                    assert ours == render("{{ v|date:'c' }}", value), (zone, value)


def test_month_names_are_translated_as_djangos():
    value = datetime.date(2026, 5, 3)
    with translation.override("de"):
        assert render("{{ v|long_date }}", value) == render("{{ v|date:'j F Y' }}", value)
        assert "Mai" in render("{{ v|long_date }}", value)


def test_nothing_for_missing_or_odd_values():
    for value in (None, "", "2026-01-01", 5):
        assert iso_date(value) == "" and iso_datetime(value) == "" and long_date(value) == ""
