"""JSON-LD on the demo cramps article, parsed from the page as a crawler would read it."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from healthpress.articles.content import find_article
from healthpress.articles.structured_data import json_ld_script

from .helpers import json_ld

CRAMPS = "Is cramping caused by excessive calcium or insufficient calcium?"
pytestmark = pytest.mark.django_db


@pytest.fixture
def cramps(db, tmp_path, settings):
    settings.VAR_DIR = tmp_path  # load_demo keeps nothing in var/ with --no-admin; to be sure
    call_command("load_demo", "--no-admin", stdout=StringIO())
    return find_article(CRAMPS)


def test_cramps_article_is_a_medical_web_page_with_every_field(client, cramps):
    html = client.get(cramps.url).content.decode()
    data = json_ld(html)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["url"] == data["@id"] == cramps.full_url
    assert data["name"] == data["headline"] == CRAMPS
    assert data["description"] == cramps.short_answer
    assert data["about"] == {"@type": "MedicalCondition", "name": "Muscle cramp"}

    author = data["author"]
    assert author["@type"] == "Person"
    assert author["name"] == "Amara Lindqvist"
    assert author["jobTitle"] == "Senior Expert"
    assert author["honorificSuffix"] == "MD"
    assert author["hasCredential"] == [{"@type": "EducationalOccupationalCredential", "name": "MD"}]
    assert author["url"].endswith("/authors/amara-lindqvist/")

    reviewer = data["reviewedBy"]
    assert reviewer["@type"] == "Person"
    assert reviewer["name"] == "Tomás Reyes"
    assert reviewer["jobTitle"] == "Cardiac Nurse Specialist"
    assert [c["name"] for c in reviewer["hasCredential"]] == ["RN", "MSc"]
    assert data["lastReviewed"] == "2026-10-14"

    published = datetime.datetime.fromisoformat(data["datePublished"])
    assert published.date() == datetime.date(2026, 2, 17)
    modified = datetime.datetime.fromisoformat(data["dateModified"])
    assert modified >= published

    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "HealthPress"

    citations = data["citation"]
    assert len(citations) >= 3
    assert all(c["@type"] == "CreativeWork" and c["name"] for c in citations)
    assert citations[1] == {
        "@type": "CreativeWork",
        "name": "Nocturnal leg cramps",
        "author": "Allen RE, Kirby KA",
        "publisher": {"@type": "Organization", "name": "American Family Physician"},
        "datePublished": "2012",
        "url": "https://www.aafp.org/pubs/afp/issues/2012/0815/p350.html",
    }

    crumbs = data["breadcrumb"]
    assert crumbs["@type"] == "BreadcrumbList"
    items = crumbs["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3]
    assert [item["name"] for item in items] == ["Home", "Muscles, bones and joints", CRAMPS]
    assert all(item["@type"] == "ListItem" for item in items)
    assert items[2]["item"] == cramps.full_url
    assert items[1]["item"] == cramps.get_parent().full_url


def test_only_one_script_and_it_is_data(client, cramps):
    html = client.get(cramps.url).content.decode()
    assert html.count("<script") == 1
    assert '<script type="application/ld+json">' in html


def test_json_ld_cannot_break_out_of_its_script_tag():
    script = json_ld_script({"name": "</script><script>alert(1)</script> & <!--"})
    assert script.count("</script>") == 1
    assert "<!--" not in script
    assert "\\u003C/script\\u003E" in script


def test_unreviewed_article_has_no_review_claims(client, make_article):
    data = json_ld(client.get(make_article().url).content.decode())
    assert "reviewedBy" not in data and "lastReviewed" not in data
    assert "about" not in data and "citation" not in data
