from healthpress.search.preprocess import MAX_QUERY_CHARS, MAX_TERMS, prepare_query
from healthpress.search.synonyms import expand


def test_question_words_and_filler_are_dropped():
    assert prepare_query("why do my legs cramp at night").terms == ["legs", "cramp", "night"]
    assert prepare_query("Hi, please can you tell me what causes gout? Thanks").terms == [
        "causes",
        "gout",
    ]


def test_a_query_of_only_stopwords_still_searches_its_words():
    assert prepare_query("What is it?").terms == ["what", "is", "it"]


def test_apostrophes_split_like_the_index_does():
    assert prepare_query("children’s fever don't").terms == ["children", "fever"]


def test_control_characters_and_nul_bytes_are_removed():
    prepared = prepare_query("leg\x00 cramp\x07\u200b")
    assert "\x00" not in prepared.text and "\x07" not in prepared.text
    assert prepared.terms == ["leg", "cramp"]


def test_full_width_letters_become_plain_letters():
    assert prepare_query("ＣＲＡＭＰ").terms == ["cramp"]


def test_punctuation_only_and_empty_queries_have_nothing_to_search():
    for raw in ["", "   ", "?!?!", "'\"", "%_*", None]:
        assert not prepare_query(raw).searchable


def test_long_queries_are_cut_at_a_word_and_flagged():
    prepared = prepare_query("cramp " * 200)
    assert prepared.truncated
    assert len(prepared.text) <= MAX_QUERY_CHARS
    assert prepared.text.endswith("cramp")


def test_the_number_of_terms_is_bounded():
    raw = " ".join(f"word{n}" for n in range(100))
    assert len(prepare_query(raw).terms) == MAX_TERMS


def test_synonym_phrases_match_only_as_whole_phrases():
    groups = [[("cramp",), ("spasm",), ("charley", "horse")]]
    assert expand(["charley", "horse"], ["charley", "horse"], groups) == [
        "charley",
        "horse",
        "cramp",
        "spasm",
    ]
    assert expand(["horse", "charley"], ["horse", "charley"], groups) == ["horse", "charley"]
    assert expand(["spasms"], ["spasms"], groups) == [
        "spasms",
        "cramp",
        "spasm",
        "charley",
        "horse",
    ]
    assert expand(["crampon"], ["crampon"], groups) == ["crampon"]
