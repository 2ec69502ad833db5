"""Everything stored for an email address can be exported and erased."""

import json

import pytest
from django.core.management import CommandError, call_command

from healthpress.comments.models import Comment

pytestmark = pytest.mark.django_db


def test_export_lists_everything_stored_for_the_address(article, approved, capsys):
    approved("Mine", email="Reader@Example.org", ip_network="203.0.113.0", user_agent="UA")
    approved("Someone else's", email="other@example.org")
    call_command("comment_personal_data", "export", "reader@example.org")
    data = json.loads(capsys.readouterr().out)
    [row] = data["comments"]
    assert (row["body"], row["ip_network"], row["user_agent"]) == ("Mine", "203.0.113.0", "UA")


def test_erase_deletes_the_comments_and_shows_them_no_more(article, approved, client):
    approved("Erase me", email="reader@example.org")
    approved("Keep me", email="other@example.org")
    call_command("comment_personal_data", "erase", "READER@example.org", "--yes")
    assert list(Comment.objects.values_list("body", flat=True)) == ["Keep me"]
    assert "Erase me" not in client.get(article.url).content.decode()


def test_bad_address_is_refused():
    with pytest.raises(CommandError):
        call_command("comment_personal_data", "export", "not-an-address")


def test_email_is_never_shown_on_the_page(article, approved, client):
    approved("Hi", email="secret-reader@example.org")
    assert "secret-reader" not in client.get(article.url).content.decode()
