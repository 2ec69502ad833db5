"""The building blocks of an article body. Numbering of cause sections is derived at render time.

Figures, tables and videos (issue 26): pictures through Wagtail's ImageBlock (alt text required
unless marked decorative), tables through Wagtail's TypedTableBlock, and videos that load nothing
from another host until the reader presses play (video.py).
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from .video import VideoLink, parse_video_url

INLINE_FEATURES = ["bold", "italic", "link"]
TEXT_FEATURES = [*INLINE_FEATURES, "ol", "ul"]


class SectionBlock(blocks.StructBlock):
    """One numbered cause or topic: a heading, what is going on, and what the reader can do."""

    heading = blocks.CharBlock(max_length=150, help_text="Short, e.g. “Muscle fatigue”. No number.")
    explanation = blocks.RichTextBlock(features=TEXT_FEATURES)
    advice = blocks.RichTextBlock(features=TEXT_FEATURES, required=False, label="What you can do")

    class Meta:
        icon = "list-ol"
        label = "Numbered section"
        template = "articles/blocks/section.html"


class PreventionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=150, default="Prevention")
    text = blocks.RichTextBlock(features=TEXT_FEATURES)

    class Meta:
        icon = "success"
        label = "Prevention"
        template = "articles/blocks/prevention.html"


class SeeDoctorBlock(blocks.StructBlock):
    """When a reader should book an appointment with their doctor."""

    heading = blocks.CharBlock(max_length=150, default="When to see a doctor")
    text = blocks.RichTextBlock(features=TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = "When to see a doctor"
        template = "articles/blocks/see_doctor.html"


# Care-card levels, as NHS care cards name them. The name is read out before the heading so a
# screen-reader user hears the level that sighted readers see from the card's colour and badge.
URGENCY_CHOICES = [
    ("urgent", "Urgent advice (urgent care, same-day doctor)"),
    ("immediate", "Immediate action required (call the emergency number)"),
]


class UrgentBlock(blocks.StructBlock):
    """Symptoms that need help now (emergency number, urgent care), shown more prominently."""

    heading = blocks.CharBlock(max_length=150, default="Get medical help now if")
    text = blocks.RichTextBlock(features=TEXT_FEATURES)
    level = blocks.ChoiceBlock(
        choices=URGENCY_CHOICES,
        default="urgent",
        help_text="Immediate action: the reader should call the emergency number now.",
    )

    class Meta:
        icon = "warning"
        label = "Urgent: seek help now"
        template = "articles/blocks/urgent.html"


class FirstAidBlock(blocks.StructBlock):
    """Step-by-step self-help for the moment the problem happens (e.g. a calf cramp at night)."""

    heading = blocks.CharBlock(max_length=150)
    intro = blocks.TextBlock(required=False, max_length=600)
    steps = blocks.ListBlock(blocks.CharBlock(max_length=400), min_num=1)

    class Meta:
        icon = "list-ul"
        label = "First-aid steps"
        template = "articles/blocks/first_aid.html"


class ReferenceBlock(blocks.StructBlock):
    """One source the article relies on. Cite it in the text with its number, e.g. [1]."""

    authors = blocks.CharBlock(
        max_length=300, required=False, help_text='e.g. "Allen RE, Kirby KA" or an organisation.'
    )
    title = blocks.CharBlock(max_length=300)
    publisher = blocks.CharBlock(max_length=200, required=False, label="Publisher or journal")
    year = blocks.IntegerBlock(min_value=1800, max_value=2100, required=False)
    url = blocks.URLBlock(required=False, label="URL")
    accessed = blocks.DateBlock(required=False, label="Accessed on")

    class Meta:
        icon = "link"
        label = "Reference"


class FigureBlock(blocks.StructBlock):
    """A picture in the text, with what readers and re-users need to know about it."""

    image = ImageBlock(
        help_text="Describe what the picture shows for someone who cannot see it, or mark it "
        "decorative if it adds nothing to the text."
    )
    caption = blocks.CharBlock(max_length=400, required=False)
    credit = blocks.CharBlock(
        max_length=200, required=False, help_text='Who made it, e.g. "Drawing: Sam Lee".'
    )
    licence = blocks.CharBlock(
        max_length=200,
        required=False,
        help_text='e.g. "CC BY 4.0", or "All rights reserved" for a picture used with permission.',
    )
    licence_url = blocks.URLBlock(required=False, label="Licence URL")
    line_art = blocks.BooleanBlock(
        required=False,
        help_text="A drawing, chart or diagram with flat colours: kept sharp as PNG for browsers "
        "that take neither AVIF nor WebP.",
    )

    class Meta:
        icon = "image"
        label = "Figure"
        template = "articles/blocks/figure.html"


class TableCellText(blocks.CharBlock):
    class Meta:
        label = "Text"


class TableCellNumber(blocks.CharBlock):
    """A figure with its unit if any ("1,000 mg"): aligned right so digits line up."""

    def __init__(self, **kwargs):
        super().__init__(
            max_length=60,
            validators=[RegexValidator(r"^[<>≤≥~]?\s*[-+]?[0-9]", "Start with a number.")],
            **kwargs,
        )

    class Meta:
        label = "Number"


class DataTableBlock(blocks.StructBlock):
    """Figures in rows and columns: rendered as a real table with a caption, a header row and
    (optionally) a header column, never as layout."""

    table = TypedTableBlock(
        [("text", TableCellText()), ("number", TableCellNumber())],
        help_text="Give it a caption: it names the table for screen readers. Column headings "
        "are the header row.",
    )
    first_column_is_heading = blocks.BooleanBlock(
        required=False, default=True, help_text="The first column names each row."
    )
    source = blocks.CharBlock(
        max_length=300, required=False, help_text='Where the figures come from, e.g. "NIH, 2024".'
    )
    source_url = blocks.URLBlock(required=False, label="Source URL")

    def clean(self, value):
        value = super().clean(value)
        table = value["table"]
        errors = {}
        if not (table.caption or "").strip():
            errors["table"] = ValidationError("Add a caption: it names the table for readers.")
        elif not table.columns or not list(table.row_data):
            errors["table"] = ValidationError("Add at least one column and one row.")
        elif any(not (column["heading"] or "").strip() for column in table.columns):
            errors["table"] = ValidationError("Give every column a heading.")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "table"
        label = "Table"
        template = "articles/blocks/table.html"


DURATION = RegexValidator(r"^(\d{1,2}:)?\d{1,2}:\d{2}$", "Write it as m:ss or h:mm:ss, e.g. 3:45.")
VIDEO_PROVIDERS = [
    ("youtube", "YouTube"),
    ("vimeo", "Vimeo"),
    ("file", "A video file uploaded to this site"),
]


class VideoBlock(blocks.StructBlock):
    """A video that loads nothing from another site until the reader presses play: the page
    shows the editor's poster and a play button; the provider's player replaces it on play."""

    title = blocks.CharBlock(max_length=150, help_text="What the video shows, in a few words.")
    provider = blocks.ChoiceBlock(choices=VIDEO_PROVIDERS, default="youtube")
    url = blocks.URLBlock(
        required=False,
        label="Video URL",
        help_text="The video's address on YouTube or Vimeo (for those providers).",
    )
    file = DocumentChooserBlock(
        required=False, help_text="For a file on this site: an MP4 or WebM document."
    )
    captions = DocumentChooserBlock(
        required=False, help_text="For a file on this site: its captions as a WebVTT (.vtt) file."
    )
    poster = ImageBlock(help_text="Shown until play. Never fetched from the provider.")
    duration = blocks.CharBlock(max_length=8, validators=[DURATION], help_text="e.g. 3:45")
    transcript = blocks.RichTextBlock(
        features=TEXT_FEATURES,
        help_text="Everything said and shown that matters, for readers who cannot or would "
        "rather not watch.",
    )

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["provider"] == "file":
            if not value["file"]:
                errors["file"] = ValidationError("Choose the video file.")
            elif value["file"].file_extension.lower() not in ("mp4", "webm"):
                errors["file"] = ValidationError("Choose an MP4 or WebM file.")
            if not value["captions"]:
                errors["captions"] = ValidationError("Choose the captions (.vtt) file.")
            elif value["captions"].file_extension.lower() != "vtt":
                errors["captions"] = ValidationError("Captions must be a WebVTT (.vtt) file.")
        else:
            link = parse_video_url(value["url"] or "")
            if link is None or link.provider != value["provider"]:
                name = dict(VIDEO_PROVIDERS)[value["provider"]]
                errors["url"] = ValidationError(f"Paste the video's address on {name}.")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["link"] = video_link(value)
        return context

    class Meta:
        icon = "media"
        label = "Video"
        template = "articles/blocks/video.html"


def video_link(value):
    """The provider's player and watch page for a video block's value (None for a file)."""
    if value["provider"] == "file":
        return None
    link = parse_video_url(value["url"] or "")
    return link if isinstance(link, VideoLink) else None


class ArticleBodyBlock(blocks.StreamBlock):
    section = SectionBlock()
    prevention = PreventionBlock()
    see_doctor = SeeDoctorBlock()
    urgent = UrgentBlock()
    first_aid = FirstAidBlock()
    paragraph = blocks.RichTextBlock(features=TEXT_FEATURES, icon="pilcrow")
    figure = FigureBlock()
    table = DataTableBlock()
    video = VideoBlock()

    class Meta:
        block_counts = {"prevention": {"max_num": 1}, "see_doctor": {"max_num": 1}}
