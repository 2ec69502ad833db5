"""Every signal the partner API listens to, connected in one place (AppConfig.ready() calls
`connect()`). Withdrawals first: on commit the row is written before the lists that show it are
purged (withdrawals.py)."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from healthpress.articles.models import ArticlePage
from healthpress.people.models import Person

from . import purge_rules, withdrawals
from .models import ReuseTerms


def connect():
    page_unpublished.connect(
        withdrawals.on_unpublished, sender=ArticlePage, dispatch_uid="api-withdrawn"
    )
    post_delete.connect(
        withdrawals.on_deleted, sender=ArticlePage, dispatch_uid="api-withdrawn-deleted"
    )
    page_published.connect(
        withdrawals.on_published, sender=ArticlePage, dispatch_uid="api-republished"
    )
    post_save.connect(
        withdrawals.on_restriction_saved, sender=PageViewRestriction, dispatch_uid="api-restricted"
    )
    post_delete.connect(
        withdrawals.on_restriction_deleted,
        sender=PageViewRestriction,
        dispatch_uid="api-unrestricted",
    )

    for signal, name in ((page_published, "published"), (page_unpublished, "unpublished")):
        signal.connect(
            purge_rules.on_article_change, sender=ArticlePage, dispatch_uid=f"api-{name}"
        )
    post_delete.connect(
        purge_rules.on_article_change, sender=ArticlePage, dispatch_uid="api-deleted"
    )
    post_save.connect(purge_rules.on_person_change, sender=Person, dispatch_uid="api-person")
    post_delete.connect(
        purge_rules.on_person_change, sender=Person, dispatch_uid="api-person-deleted"
    )
    post_save.connect(
        purge_rules.on_terms_change, sender=ReuseTerms, dispatch_uid="api-reuse-terms"
    )
