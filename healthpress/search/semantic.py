"""Word meaning for the search: each article and each query as a vector of static word embeddings.

The model is wordllama's "l2_supercat" at 256 dimensions (docs/search.md: provenance, licence,
what it understands). Its weights (16 MB, held as float16 as shipped) and tokenizer ship inside
the wordllama wheel; they are loaded once per process, lazily (the first search or embedding
that needs them), from the installed package files only, and never downloaded:

- wordllama 0.4.0.post1 looks for its tokenizer beside its code under `wordllama/tokenizer/`,
  but the wheel ships it under `wordllama/tokenizers/`; it then looks under
  `<cache_dir>/tokenizers/`, then downloads. Giving the installed package's own folder as the
  cache folder makes the second place the shipped file, so nothing is copied or written.
- `disable_download=True` turns the download into a FileNotFoundError, and HF_HUB_OFFLINE=1 (set
  while loading) stops huggingface_hub should anything reach it. tests/search/test_semantic.py
  loads the model with every socket refused.

A vector is the mean of the text's token embeddings, L2-normalised, so a dot product is the
cosine. Inference is numpy and `tokenizers`: about 0.4 s to load, under a millisecond per query.
"""

import hashlib
import importlib.util
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np

MODEL_CONFIG = "l2_supercat"
DIMENSIONS = 256
MODEL_NAME = f"wordllama-0.4.0.post1/{MODEL_CONFIG}_{DIMENSIONS}"
TOKENIZER_FILE = f"{MODEL_CONFIG}_tokenizer_config.json"
WEIGHTS_FILE = f"{MODEL_CONFIG}_{DIMENSIONS}.safetensors"
EMBED_BATCH = 64  # texts per tokenizer call: the padded batch is (64, longest text, 256) floats

_model = None
_lock = threading.Lock()


class ModelUnavailable(RuntimeError):
    """The model's files are not installed (never downloaded instead)."""


def package_dir():
    """The installed wordllama package's folder (found without importing it)."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or spec.origin is None:
        raise ModelUnavailable("wordllama is not installed: `make install` installs it")
    return Path(spec.origin).parent


def model():
    """The loaded model, loaded on the first call in this process (thread-safe)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _load()
    return _model


def _load():
    folder = package_dir()
    for needed in (folder / "tokenizers" / TOKENIZER_FILE, folder / "weights" / WEIGHTS_FILE):
        if not needed.is_file():
            raise ModelUnavailable(
                f"{needed} is missing: reinstall wordllama (it is never downloaded)"
            )
    with _offline():
        from wordllama import WordLlama

        loaded = WordLlama.load(
            MODEL_CONFIG, cache_dir=folder, dim=DIMENSIONS, disable_download=True
        )
    # The weights ship as float16 and wordllama widens them to float32 (33 MB); its pooling
    # multiplies them by a float32 mask and sums in float32, so holding them as shipped gives the
    # same vectors bit for bit (a test compares) for 16 MB less in every process.
    loaded.embedding = loaded.embedding.astype(np.float16)
    return loaded


@contextmanager
def _offline():
    before = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = before


def embed(texts):
    """float32 array (len(texts), DIMENSIONS), each row L2-normalised (a text with no known
    token is all zeros: similar to nothing)."""
    texts = [t or "" for t in texts]
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = model().embed(texts, norm=False, batch_size=EMBED_BATCH).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    vectors[(norms == 0).ravel()] = 0
    return vectors


def article_text(article):
    """What an article is embedded from: everything a reader reads in it, the question twice.

    The question, short answer, condition name and the body's text as Wagtail indexes it
    (section headings, explanations, advice). The question counts twice, as its boost does in
    the word index: its words say what the article is about, and a vector is an average in
    which a long body would otherwise outweigh them. Measured over the whole benchmark corpus
    (docs/search.md): question + short answer + headings alone gave 0.036-0.090 lower top-3 on
    three of four query forms, the body without the doubled question 0.05 lower on summaries.
    """
    # The body's text as Wagtail's search index reads it (StreamField's searchable content).
    body = article._meta.get_field("body").get_searchable_content(article.body)
    parts = [article.title, article.title, article.short_answer, article.condition_name, *body]
    return "\n".join(p.strip() for p in parts if p and p.strip())


def text_hash(text):
    """Identifies what was embedded and by which model: an unchanged text is not embedded again."""
    return hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()


def to_bytes(vector):
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data):
    return np.frombuffer(bytes(data), dtype="<f4")
