"""Body blocks as data: chosen by block class, so new block types (figures, tables, video in the
rich-articles issue) plug in without touching the article serialiser."""

from wagtail import blocks

from healthpress.api.blocks import Context, Part, _serialisers, serialise, serialises

CONTEXT = Context("https://health.example")


class FactBox(blocks.StructBlock):
    """A block type the API has never heard of, made of known classes."""

    heading = blocks.CharBlock()
    text = blocks.RichTextBlock()
    points = blocks.ListBlock(blocks.CharBlock())


class Dose(blocks.FieldBlock):
    """A new kind of leaf block."""

    def __init__(self, **kwargs):
        from django import forms

        self.field = forms.CharField()
        super().__init__(**kwargs)

    def get_api_representation(self, value, context=None):
        return {"amount": value}


def test_a_new_block_made_of_known_classes_needs_no_change():
    block = FactBox()
    value = block.to_python(
        {"heading": "At a glance", "text": '<p>See <a href="/a/b/">this</a>.</p>', "points": ["a"]}
    )
    part = serialise(block, value, CONTEXT)
    assert part.data["heading"] == "At a glance"
    assert part.data["text"]["html"] == '<p>See <a href="https://health.example/a/b/">this</a>.</p>'
    assert part.data["points"] == ["a"]
    assert part.text == "At a glance\nSee this.\na"
    assert part.html.startswith("<h2>At a glance</h2>") and part.html.endswith(
        "<ol><li>a</li></ol>"
    )


def test_an_unknown_leaf_block_falls_back_to_wagtails_api_representation():
    part = serialise(Dose(), "5 ml", CONTEXT)
    assert part == Part({"amount": "5 ml"})


def test_a_registered_serialiser_takes_over_for_its_class():
    @serialises(Dose)
    def dose(block, value, context):
        return Part({"amount": value}, f"Dose: {value}", f"<p>Dose: {value}</p>")

    try:
        part = serialise(Dose(), "5 ml", CONTEXT)
        assert (part.text, part.html) == ("Dose: 5 ml", "<p>Dose: 5 ml</p>")
    finally:
        del _serialisers[Dose]
