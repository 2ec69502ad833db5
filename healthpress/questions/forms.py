"""The /ask/ form: validated at the edge on every step, cleaned text in, clear messages out.

The same form checks the first step (before the matches are shown) and the last one (the hidden
copy of what the reader typed, which is checked again rather than trusted). The consent wording
lives here, next to the field it labels; CONSENT_WORDING_VERSION (models.py) names it on each
stored question, and tests/questions/test_asking.py pins the two together.
"""

from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator

from healthpress.core.cleaning import clean_line, clean_text
from healthpress.core.models import TopicPage
from healthpress.core.navigation import live_topics

from .models import DETAILS_MAX, QUESTION_MAX

QUESTION_MIN = 10
# What a reader may paste before cleaning (markup that cleaning removes may be long).
RAW_QUESTION_MAX = 2_000
RAW_DETAILS_MAX = 20_000
EMAIL_MAX = 254

# Change CONSENT_WORDING_VERSION in models.py whenever this text changes. It says exactly what
# QuestionQuerySet.due_for_erasure and .erase() do (models.py), with the settings' figures.
CONSENT_WORDING = (
    "I agree that {site} stores my question and anything I wrote in it about my health, so "
    "that its editors and medical experts can read it and answer it with an article. My "
    "question is never published with my details or my email address, though an article "
    "written to answer it may take its words as its title. My question, its details, the "
    "topic and my email address are deleted {closed} days after it is answered or declined, "
    "{undecided} days after I ask if nobody has taken it on by then, {accepted} days after an "
    "expert takes it on if no answer is published by then, or as soon as I ask. Only the "
    "dates, what became of it and the article written for it are kept."
)


def consent_wording():
    return CONSENT_WORDING.format(
        site=settings.WAGTAIL_SITE_NAME,
        closed=settings.QUESTIONS_RETENTION_DAYS,
        undecided=settings.QUESTIONS_UNDECIDED_DAYS,
        accepted=settings.QUESTIONS_ACCEPTED_DAYS,
    )


def public_topics():
    """The header's topics (kept until the next purge), as a queryset for the choice field: by
    primary key, as SQLite asked for them by `live` read every page of the site (35 ms at
    100,000 articles)."""
    topic_ids = [topic.pk for topic in live_topics()]
    return TopicPage.objects.filter(pk__in=topic_ids).order_by("title", "pk")


class TopicField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class AskForm(forms.Form):
    question = forms.CharField(
        max_length=RAW_QUESTION_MAX,
        strip=False,
        error_messages={
            "required": "Write your question.",
            "max_length": f"Your question is too long: keep it under {QUESTION_MAX} characters "
            "and put the rest in the details.",
        },
    )
    details = forms.CharField(
        required=False,
        max_length=RAW_DETAILS_MAX,
        strip=False,
        error_messages={
            "max_length": f"The details are too long: keep them under {DETAILS_MAX:,} characters."
        },
    )
    topic = TopicField(
        queryset=TopicPage.objects.none(),
        required=False,
        empty_label="I am not sure",
        error_messages={"invalid_choice": "Choose a topic from the list, or “I am not sure”."},
    )
    email = forms.EmailField(
        required=False,
        max_length=EMAIL_MAX,
        error_messages={
            "invalid": "Enter a valid email address, or leave it empty.",
            "max_length": "That email address is too long.",
        },
    )
    consent = forms.BooleanField(
        error_messages={
            "required": "Tick the box to agree that we store your question: we cannot take it "
            "otherwise."
        },
    )
    # Spam traps: a field people never see, and the signed time the form was shown.
    website = forms.CharField(required=False, strip=False)
    started = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = public_topics()
        # Null characters are removed by cleaning rather than refused: the reader's text goes in.
        for name in ("question", "details"):
            field = self.fields[name]
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]

    def clean_question(self):
        question = clean_line(self.cleaned_data["question"])
        if len(question) < QUESTION_MIN:
            raise forms.ValidationError(
                f"Write your question in at least {QUESTION_MIN} characters "
                "(HTML tags are removed)."
            )
        if len(question) > QUESTION_MAX:
            raise forms.ValidationError(
                f"Your question is too long: keep it under {QUESTION_MAX} characters and put "
                "the rest in the details."
            )
        return question

    def clean_details(self):
        details = clean_text(self.cleaned_data.get("details", ""))
        if len(details) > DETAILS_MAX:
            raise forms.ValidationError(
                f"The details are too long: keep them under {DETAILS_MAX:,} characters."
            )
        return details

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip()
        if not email:
            return ""
        local, _, domain = email.rpartition("@")
        return f"{local}@{domain.lower()}"

    @property
    def carried(self):
        """What the reader typed, cleaned, as the hidden fields of the next step carry it."""
        data = self.cleaned_data
        topic = data.get("topic")
        return {
            "question": data["question"],
            "details": data["details"],
            "topic": topic.pk if topic else "",
            "email": data["email"],
            "consent": "1",
            "started": data.get("started", ""),
            "website": data.get("website", ""),
        }
