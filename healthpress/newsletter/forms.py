"""Validation at the edge: the sign-up form, the preference form, and header-injection checks."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from healthpress.core.models import TopicPage

from .models import Subscriber

MAX_EMAIL_LENGTH = 254
# CR, LF and the other control characters: in an email header they start a new header.
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")
# "bcc: x@y" style content pasted into a field: a header injection attempt, not an address.
HEADER_LIKE = re.compile(r"^\s*(?:to|cc|bcc|from|subject|reply-to|content-type)\s*:", re.I)


def has_header_injection(data):
    """True when any submitted value carries a line break or a control character."""
    for key in data:
        values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
        for value in [key, *values]:
            if isinstance(value, str) and (CONTROL_CHARS.search(value) or HEADER_LIKE.match(value)):
                return True
    return False


def normalise_email(value):
    """Django's email validation, at most 254 characters, the domain lower-cased."""
    value = (value or "").strip()
    if not value:
        raise ValidationError("Enter your email address.", code="required")
    if len(value) > MAX_EMAIL_LENGTH:
        raise ValidationError("That email address is too long.", code="max_length")
    if CONTROL_CHARS.search(value) or HEADER_LIKE.match(value):
        raise ValidationError("That email address contains characters it cannot.", code="header")
    validate_email(value)
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


class SubscribeForm(forms.Form):
    email = forms.CharField(max_length=1000, required=False)

    def clean_email(self):
        return normalise_email(self.cleaned_data.get("email"))


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class PreferencesForm(forms.Form):
    topic_scope = forms.ChoiceField(
        choices=[("all", "All topics"), ("chosen", "Only the topics I choose")],
        widget=forms.RadioSelect,
        initial="all",
        label="Topics",
    )
    topics = TopicChoiceField(
        queryset=TopicPage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Choose topics",
    )
    frequency = forms.ChoiceField(
        choices=Subscriber.Frequency.choices,
        widget=forms.RadioSelect,
        initial=Subscriber.Frequency.WEEKLY,
        label="How often",
    )
    paused = forms.BooleanField(
        required=False,
        label="Pause the newsletter for now",
        help_text="You stay subscribed but receive nothing until you untick this.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = TopicPage.objects.live().public().order_by("title")

    @classmethod
    def initial_for(cls, subscriber):
        return {
            "topic_scope": "all" if subscriber.all_topics else "chosen",
            "topics": subscriber.topics.all(),
            "frequency": subscriber.frequency,
            "paused": subscriber.paused,
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("topic_scope") == "chosen" and not cleaned.get("topics"):
            self.add_error("topics", "Choose at least one topic, or pick “All topics”.")
        return cleaned

    def save(self, subscriber):
        data = self.cleaned_data
        subscriber.all_topics = data["topic_scope"] == "all"
        subscriber.frequency = data["frequency"]
        subscriber.paused = data["paused"]
        subscriber.save(update_fields=["all_topics", "frequency", "paused"])
        subscriber.topics.set([] if subscriber.all_topics else data["topics"])
