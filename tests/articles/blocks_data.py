"""Raw StreamField data for the rich blocks (figure, table, video), as the importer writes it."""


def figure(image, alt="A calf muscle, drawn from the side", decorative=False, **extra):
    return {
        "type": "figure",
        "value": {
            "image": {"image": image.pk, "decorative": decorative, "alt_text": alt},
            "caption": extra.get("caption", "The calf muscle tightens during a cramp."),
            "credit": extra.get("credit", "Drawing: HealthPress"),
            "licence": extra.get("licence", "CC BY 4.0"),
            "licence_url": extra.get("licence_url", "https://creativecommons.org/licenses/by/4.0/"),
            "line_art": extra.get("line_art", False),
        },
    }


def calcium_table(caption="Calcium needs by age", header_column=True):
    rows = [("1 to 3 years", "700"), ("4 to 8 years", "1,000"), ("Adults 19 to 50", "1,000")]
    return {
        "type": "table",
        "value": {
            "table": {
                "caption": caption,
                "columns": [
                    {"type": "text", "heading": "Age"},
                    {"type": "number", "heading": "Calcium (mg a day)"},
                ],
                "rows": [{"values": list(row)} for row in rows],
            },
            "first_column_is_heading": header_column,
            "source": "Dietary reference intakes, 2024",
            "source_url": "https://example.org/calcium",
        },
    }


def video(poster, url="https://www.youtube.com/watch?v=dQw4w9WgXcQ", provider="youtube"):
    return {
        "type": "video",
        "value": {
            "title": "A calf stretch against a wall",
            "provider": provider,
            "url": url,
            "file": None,
            "captions": None,
            "poster": {"image": poster.pk, "decorative": False, "alt_text": "A runner stretching"},
            "duration": "2:15",
            "transcript": "<p>Stand an arm's length from a wall and lean in slowly.</p>",
        },
    }
