"""The public comment form: validated at the edge, cleaned text in, clear messages out."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from healthpress.core.cleaning import clean_line, clean_text

from .models import Comment

NAME_MAX = 80
BODY_MIN, BODY_MAX = 2, 5000
# What a reader may paste before cleaning (markup that cleaning removes may be long).
RAW_BODY_MAX = 20_000


class CommentForm(forms.Form):
    name = forms.CharField(
        max_length=400,
        error_messages={"required": "Enter your name."},
    )
    email = forms.EmailField(
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter a valid email address, or leave it empty."},
    )
    comment = forms.CharField(
        max_length=RAW_BODY_MAX,
        strip=False,
        error_messages={
            "required": "Write your comment.",
            "max_length": f"Your comment is too long: keep it under {BODY_MAX:,} characters.",
        },
    )
    notify = forms.BooleanField(required=False)
    reply_to = forms.IntegerField(required=False, min_value=1)
    # Spam traps: a field people never see, and the signed time the form was shown.
    website = forms.CharField(required=False, strip=False)
    started = forms.CharField(required=False)

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.parent = None
        # Null characters are removed by cleaning rather than refused: the reader's text goes in.
        for name in ("name", "comment"):
            field = self.fields[name]
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]

    def clean_name(self):
        name = clean_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Enter your name.")
        if len(name) > NAME_MAX:
            raise forms.ValidationError(f"Keep your name under {NAME_MAX} characters.")
        return name

    def clean_comment(self):
        body = clean_text(self.cleaned_data["comment"])
        if len(body) < BODY_MIN:
            raise forms.ValidationError(
                "Write a comment of at least 2 characters (HTML tags are removed)."
            )
        if len(body) > BODY_MAX:
            raise forms.ValidationError(
                f"Your comment is too long: keep it under {BODY_MAX:,} characters."
            )
        return body

    def clean_reply_to(self):
        parent_id = self.cleaned_data.get("reply_to")
        if parent_id is None:
            return None
        parent = (
            Comment.objects.visible()
            .filter(pk=parent_id, article=self.article)
            .select_related("parent")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                "The comment you are replying to is not available. "
                "Your text is kept below: post it as a new comment."
            )
        # Replies are one level deep: a reply to a reply joins the same thread.
        self.parent = parent.parent or parent
        return self.parent.pk

    def clean(self):
        data = super().clean()
        if data.get("notify") and not data.get("email"):
            self.add_error("email", "Enter your email address so we can notify you.")
        return data
