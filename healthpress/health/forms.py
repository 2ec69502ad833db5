"""The "What was missing?" form: validated at the edge, its text cleaned like every reader's
text (core/cleaning.py) before its length is checked."""

from django import forms

from healthpress.core.cleaning import clean_text

from .models import MISSING_MAX


class MissingForm(forms.Form):
    # The browser's maxlength counts a line break as one character and sends two: the length
    # that counts is the cleaned text's, checked in clean_text below.
    text = forms.CharField(max_length=MISSING_MAX * 2, strip=False)

    def clean_text(self):
        text = clean_text(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError("Please say what was missing, or leave the box empty.")
        if len(text) > MISSING_MAX:
            raise forms.ValidationError(f"Please keep it to {MISSING_MAX} characters.")
        return text
