"""people_by_id answers what Person.objects.in_bulk answers, from a written-out statement."""

import pytest

from healthpress.people.models import Person, people_by_id

pytestmark = pytest.mark.django_db


def test_the_same_people_as_in_bulk_with_every_field():
    made = [
        Person.objects.create(name=f"Expert {n}", credentials="MD" if n % 2 else "", bio="x" * n)
        for n in range(4)
    ]
    asked = [made[0].pk, made[2].pk, made[2].pk, 999_999]  # a repeat and one that does not exist
    ours, orm = people_by_id(asked), Person.objects.in_bulk(asked)
    assert ours.keys() == orm.keys() == {made[0].pk, made[2].pk}
    for pk, person in ours.items():
        assert person.get_deferred_fields() == set()
        fields = [f.attname for f in Person._meta.concrete_fields]
        assert [getattr(person, f) for f in fields] == [getattr(orm[pk], f) for f in fields]


def test_nobody_asked_for_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert people_by_id([]) == {}
