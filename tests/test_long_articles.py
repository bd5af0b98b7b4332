"""Long articles are analysed in pieces: tokens, NER chunks and sentence windows must give
what one pass over the whole text gives, and hostile text must stay well formed."""

import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from razdel import sentenize, tokenize
from razdel.substring import Substring
from slovnet.bio import bio_spans

from conftest import SEED_FILE
from newsreader.ingest.parse import Article, iter_articles
from newsreader.nlp import entities, tagging, tokens
from newsreader.nlp.dates import DateMention
from newsreader.nlp.enrich import enrich
from newsreader.nlp.entities import EntityRecognizer, TextAnalysis
from newsreader.nlp.events import MAX_EVENT_KEYS, build_events
from newsreader.nlp.tokens import MAX_TOKEN_CHARS, Tokens
from test_entities import assert_well_formed

WHOLE = {"PIECE_CHARS": 10**9, "CHUNK_TOKENS": 10**9, "MAX_LINE_CHARS": 10**9}
NASTY_ALPHABET = "аяЯbZ1Δ .,-—_/\\\n!?«»()…"


@pytest.fixture(scope="module")
def recognizer() -> EntityRecognizer:
    return EntityRecognizer()


@pytest.fixture(scope="module")
def mid_size_text() -> str:
    """The seed article 24 times over, one copy without line breaks: ~7000 tokens, 60 000 characters."""
    [article] = [item for item in iter_articles([SEED_FILE]) if isinstance(item, Article)]
    copies = [article.text] * 23 + [article.text.replace("\n", " ")]
    return "\n\n".join(copies)


def sized(monkeypatch, piece_chars: int, chunk_tokens: int, line_chars: int) -> None:
    monkeypatch.setattr(tokens, "PIECE_CHARS", piece_chars)
    monkeypatch.setattr(tokens, "CUT_WINDOW", max(piece_chars, 2 * MAX_TOKEN_CHARS))
    monkeypatch.setattr(tagging, "CHUNK_TOKENS", chunk_tokens)
    monkeypatch.setattr(entities, "MAX_LINE_CHARS", line_chars)


def analysed_whole(recognizer: EntityRecognizer, text: str, monkeypatch) -> TextAnalysis:
    with monkeypatch.context() as patch:
        sized(patch, WHOLE["PIECE_CHARS"], WHOLE["CHUNK_TOKENS"], WHOLE["MAX_LINE_CHARS"])
        return recognizer.analyze(text)


@pytest.mark.parametrize(("piece_chars", "chunk_tokens", "line_chars"), [(16_000, 2_000, 10_000), (300, 500, 400)])
def test_chunked_analysis_equals_one_pass(
    recognizer, mid_size_text, monkeypatch, piece_chars, chunk_tokens, line_chars
):
    whole = analysed_whole(recognizer, mid_size_text, monkeypatch)
    sized(monkeypatch, piece_chars, chunk_tokens, line_chars)
    chunked = recognizer.analyze(mid_size_text)
    assert len(Tokens(mid_size_text)) > 3 * 2_000 and len(mid_size_text) > 2 * 16_000  # several at the defaults too
    assert chunked == whole
    assert len(whole.entities) > 300
    assert_well_formed(mid_size_text, chunked)


def test_entity_across_a_piece_and_a_chunk_bound_is_found_once(recognizer, mid_size_text, monkeypatch):
    whole = analysed_whole(recognizer, mid_size_text, monkeypatch)
    target = next(e for e in whole.entities[len(whole.entities) // 2 :] if e.text == "Михаил Галузин")
    split_at = target.start + len("Михаил")  # the space inside the name
    all_tokens = Tokens(mid_size_text)
    second_word = list(all_tokens.starts).index(split_at + 1)
    sized(monkeypatch, piece_chars=split_at, chunk_tokens=second_word, line_chars=WHOLE["MAX_LINE_CHARS"])
    assert [(start, end) for start, end in tokens.pieces(mid_size_text)][0] == (0, split_at)
    chunked = recognizer.analyze(mid_size_text)
    assert [e for e in chunked.entities if e.start < split_at < e.end] == [target]
    assert chunked.entities == whole.entities


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=NASTY_ALPHABET, max_size=400), piece_chars=st.integers(1, 60))
def test_tokens_are_razdels_whatever_the_pieces(text, piece_chars):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tokens, "PIECE_CHARS", piece_chars)
        found = Tokens(text)
    assert list(zip(found.starts, found.stops, strict=True)) == [(token.start, token.stop) for token in tokenize(text)]


@pytest.mark.parametrize("run", ["-" * 2500, "1.1." * 700, "а" * 3001])
def test_a_long_run_without_spaces_becomes_bounded_tokens(run):
    text = f"Москва {run} Киев"
    found = Tokens(text)
    bounds = list(zip(found.starts, found.stops, strict=True))
    assert bounds[0] == (0, 6) and bounds[-1] == (len(text) - 4, len(text))
    inner = bounds[1:-1]
    assert all(0 < stop - start <= MAX_TOKEN_CHARS for start, stop in inner)
    assert [inner[0][0], *(stop for _, stop in inner)] == [7, *(start for start, _ in inner[1:]), 7 + len(run)]


def test_forward_pass_gives_slovnets_scores_bit_for_bit(recognizer, mid_size_text):
    infer = recognizer.tagger.infer
    words = [token.text for token in tokenize(mid_size_text)][:3_000]
    batch = next(infer.encoder([words]))
    expected = infer.model(batch.word_id, batch.shape_id, batch.pad_mask)[0]
    word_ids, shape_ids = np.array([tagging.word_and_shape_ids(infer.encoder, word) for word in words]).T
    assert np.array_equal(tagging.tag_scores(infer.model, word_ids, shape_ids), expected)


@pytest.mark.parametrize("chunk_tokens", [2_000, 40])
def test_morph_features_are_the_taggers_reading_of_the_whole_window(mid_size_text, monkeypatch, chunk_tokens):
    """Only a few tokens around the wanted ones are run, several windows side by side: the features are those
    natasha's tagger gives each whole window (in its batches of 8, padded)."""
    from natasha import NewsMorphTagger

    monkeypatch.setattr(tagging, "CHUNK_TOKENS", chunk_tokens)
    text_tokens = Tokens(mid_size_text)
    rng = np.random.default_rng(7)
    reads = []
    for _ in range(60):
        low = int(rng.integers(0, len(text_tokens) - 80))
        high = low + int(rng.integers(1, 80))
        first = int(rng.integers(low, high))
        reads.append((text_tokens, low, high, first, int(rng.integers(first + 1, high + 1))))
    markups = NewsMorphTagger(entities._embedding()).map([text_tokens.words(low, high) for _, low, high, _, _ in reads])
    expected = [
        [token.feats for token in markup.tokens[first - low : stop - low]]
        for markup, (_, low, _, first, stop) in zip(markups, reads, strict=True)
    ]
    assert entities._morph_model().features(reads) == expected


@settings(max_examples=40, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 60), min_size=1, max_size=4),
    pieces=st.lists(st.integers(1, 20), max_size=5),
    seed=st.integers(0, 2**32 - 1),
)
def test_viterbi_side_by_side_in_pieces_equals_slovnets_crf_on_each(recognizer, lengths, pieces, seed):
    crf = recognizer.tagger.infer.model.head.crf
    lengths = sorted(lengths, reverse=True)
    tags = crf.transitions.array.shape[0]
    emissions = np.random.default_rng(seed).normal(0, 3, (lengths[0], len(lengths), tags)).astype(np.float32)
    expected = [
        crf.decode(emissions[:length, index][None], np.ones((1, length), dtype=bool))[0].tolist()
        for index, length in enumerate(lengths)
    ]
    decoder, position = tagging.Viterbi(crf.transitions.array, lengths), 0
    for size in [*pieces, lengths[0]]:
        if position < lengths[0]:
            decoder.feed(emissions[position : position + size])
            position += size
    assert [list(path) for path in decoder.tags()] == expected


def test_long_line_sentences_are_razdels(mid_size_text, monkeypatch):
    line = mid_size_text.replace("\n", " ")
    monkeypatch.setattr(entities, "MAX_LINE_CHARS", 500)
    expected = tuple((s.start, s.stop) for s in sentenize(line) if s.stop > s.start)
    assert entities.sentence_bounds(line) == expected
    assert len(expected) > 100


def test_a_sentence_longer_than_the_window_is_cut(monkeypatch):
    monkeypatch.setattr(entities, "MAX_LINE_CHARS", 1_000)
    text = "слово " * 1_000
    sentences = entities.sentence_bounds(text)
    assert all(end - start <= 1_000 for start, end in sentences)
    assert "".join(text[start:end] for start, end in sentences).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(
    "text",
    [
        "а" * 5_000,
        "0123456789" * 500,
        ".,;:!?-" * 700,
        "с 1 по 3 марта 2024 года, " * 200,
        "\n" * 5_000,
        " " * 5_000,
        "Иван Петров. " * 400,
        "Δ" * 3_000 + " " + "x" * 3_000,
    ],
    ids=["one letter", "digits", "punctuation", "dates", "newlines", "spaces", "one name", "other letters"],
)
def test_hostile_text_gives_well_formed_enrichment(recognizer, text):
    enrichment = enrich(recognizer, text, datetime.date(2024, 6, 1))
    assert_well_formed(text, TextAnalysis(enrichment.entities, entities.sentence_bounds(text)))
    for date in enrichment.dates:
        assert 0 <= date.start < date.end <= len(text) and text[date.start : date.end] == date.text
    for event in enrichment.events:
        assert 0 <= event.sentence_start <= event.start < event.end <= event.sentence_end <= len(text)


def test_overlap_removal_keeps_the_longer_then_earlier_span():
    spans = [
        (0, 5, "PER"),
        (3, 9, "ORG"),
        (8, 12, "LOC"),
        (20, 22, "LOC"),
        (20, 22, "LOC"),
        (30, 34, "PER"),
        (31, 33, "ORG"),
    ]
    assert entities.without_overlaps(spans) == [(3, 9, "ORG"), (20, 22, "LOC"), (30, 34, "PER")]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8), st.sampled_from(["PER", "LOC"])), max_size=25))
def test_overlap_removal_is_the_greedy_rule(raw):
    spans = [(start, start + length, kind) for start, length, kind in raw]
    kept = []  # equal bounds: the type first in alphabetical order stays
    for span in sorted(sorted(set(spans)), key=lambda span: (span[0] - span[1], span[0])):
        if all(span[1] <= other[0] or other[1] <= span[0] for other in kept):
            kept.append(span)
    assert entities.without_overlaps(spans) == sorted(kept)


def test_events_of_one_sentence_share_its_keys_up_to_the_bound():
    names = [f"PER:человек {index}" for index in range(MAX_EVENT_KEYS + 10)]
    entity_spans = [(10 * index, 10 * index + 5, key) for index, key in enumerate(names)]
    sentence_end = 10 * len(names) + 100
    dates = [
        DateMention(sentence_end - 50, sentence_end - 40, "x", "2024", "year"),
        DateMention(sentence_end - 20, sentence_end - 10, "x", "2025", "year"),
        DateMention(sentence_end + 5, sentence_end + 9, "x", "2026", "year"),
    ]
    text = " " * (sentence_end + 20)
    first, second, third = build_events(
        text, dates, [(0, sentence_end), (sentence_end + 1, sentence_end + 20)], entity_spans
    )
    assert first.keys == second.keys == tuple(names[:MAX_EVENT_KEYS])
    assert (first.sentence_start, first.sentence_end) == (0, sentence_end)
    assert third.keys == () and (third.sentence_start, third.sentence_end) == (sentence_end + 1, sentence_end + 20)


def test_lone_surnames_link_to_the_nearest_full_name_before_else_after(recognizer):
    text = (
        "Путин приехал. Владимир Путин сказал. Сергей Лавров ответил. Путин ушёл, а Лавров остался. "
        "С. Лавров знал. В. Лавров молчал. Ирина Лаврова пришла. Лавров ушёл."
    )
    found = [(e.text, e.normal, e.key) for e in recognizer.analyze(text).entities if len(e.text.split()) == 1]
    assert found == [
        ("Путин", "Путин", "PER:владимир путин"),  # none before: the first one after
        ("Путин", "Путин", "PER:владимир путин"),
        ("Лавров", "Лавров", "PER:сергей лавров"),
        ("Лавров", "Лавров", "PER:сергей лавров"),  # his surname letter for letter beats the nearer Ирина Лаврова
    ]
    initialled = {e.text: e.key for e in recognizer.analyze(text).entities if "." in e.text}
    assert initialled == {"С. Лавров": "PER:сергей лавров", "В. Лавров": "PER:в. лавров"}  # the initial must agree


@settings(max_examples=200, deadline=None)
@given(tags=st.lists(st.integers(0, 7), max_size=40))
def test_spans_from_tags_are_slovnets_bio_spans(recognizer, tags):
    model, names = entities._ner_model(), recognizer.tagger.infer.decoder.tags_vocab.items
    found = Tokens(" ".join(["слово"] * len(tags)))
    bounds = (Substring(start, stop, "") for start, stop in zip(found.starts, found.stops, strict=True))
    expected = [(span.start, span.stop, span.type) for span in bio_spans(bounds, [names[tag] for tag in tags])]
    assert model._bio_spans(found, bytearray(tags)) == expected
