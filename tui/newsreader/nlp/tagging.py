"""natasha's NER and morph models over texts of any size, several at a time, with exactly the tags each text gets alone.

The model is a CNN under a CRF. slovnet runs the CNN over all tokens at once (~8 KB of
arrays a token: 3 GB for a 4.6 MB article) and its Viterbi keeps an array per token.
Here the CNN runs on chunks of CHUNK_TOKENS tokens, each with the few tokens of context
the convolutions see on either side, so every chunk's emissions are those the whole text
gives; chunks this size are also twice as fast per token as one huge matrix. The
Viterbi pass then runs over the whole text as slovnet's does, in the same float32
arithmetic, keeping one byte per token and tag of back-pointers.

Texts shorter than a chunk share one: they are laid end to end with zero rows between
them, which is the zero padding each would get alone, and the rows between are zeroed
again after every layer, so each text's scores are those it gets alone. Their Viterbi
passes run side by side, one step for all of them. A news article is ~300 tokens: alone,
a small matrix product and a Python step per token dominate; together, a worker does
about a third more articles a second (docs/benchmarks.md, "Enrichment speed").

`tag_scores` is slovnet's forward pass (slovnet/exec/model.py: Tag, CNNEncoder, Conv1d,
ReLU, BatchNorm1d) without padding tokens: the same float32 operations on the same
values in the same order, so bit for bit the same scores, but with a third fewer copies
of the arrays. Word and shape ids are looked up once per distinct word and kept for
the next texts.

`MorphModel` runs natasha's morph tagger (the same network with another head and no CRF) the
same way, on the few tokens around the ones whose features are wanted (`MorphModel.features`).
"""

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache, partial

import numpy as np
from slovnet.bio import parse_bio
from slovnet.conll import parse_conll_tag
from slovnet.const import B, I, O
from slovnet.shape import word_shape

from newsreader.nlp.tokens import Tokens

CHUNK_TOKENS = 2_000
WORD_CACHE_SIZE = 50_000  # distinct words whose ids are kept (~15 MB)

Span = tuple[int, int, str]
Read = tuple[Tokens, int, int, int, int]  # tokens, window low..high-1, wanted tokens first..stop-1


class NerModel:
    """natasha's NewsNERTagger run by `tag_scores` and `Viterbi`: `spans` of many texts at once."""

    def __init__(self, tagger) -> None:
        self._infer = tagger.infer
        self._ids = lru_cache(maxsize=WORD_CACHE_SIZE)(partial(word_and_shape_ids, tagger.infer.encoder))
        names = tagger.infer.decoder.tags_vocab.items
        self._parts = [parse_bio(name) for name in names]  # tag -> (B, I, O or <pad>; type)
        self._not_o = re.compile(b"[^" + re.escape(bytes([names.index(O)])) + b"]+")

    def spans(self, texts: Sequence[Tokens]) -> list[list[Span]]:
        """(start, end, type) of natasha's NER spans over each of `texts`, as each alone gets them."""
        found: list[list[Span]] = [[] for _ in texts]
        for group in _groups(texts):
            members = [texts[index] for index in group]
            decoder = Viterbi(self._infer.model.head.crf.transitions.array, [len(tokens) for tokens in members])
            for emissions in self._emissions(members):
                decoder.feed(emissions)
            for index, tokens, tags in zip(group, members, decoder.tags(), strict=True):
                found[index] = self._bio_spans(tokens, tags)
        return found

    def _bio_spans(self, tokens: Tokens, tags: bytearray) -> list[Span]:
        """slovnet's bio_spans: B opens a span, I extends it, O closes it, <pad> does nothing. Only runs of
        tags other than O are read, a few tokens in twenty: an O before a run has closed what was open."""
        starts, stops, parts = tokens.starts, tokens.stops, self._parts
        spans: list[Span] = []
        kind, start, stop = None, 0, 0
        for run in self._not_o.finditer(tags):
            if kind is not None:
                spans.append((start, stop, kind))
                kind = None
            for position in range(*run.span()):
                part, tag_kind = parts[tags[position]]
                if part == B:
                    if kind is not None:
                        spans.append((start, stop, kind))
                    kind, start, stop = tag_kind, starts[position], stops[position]
                elif part == I:
                    stop = stops[position]
        if kind is not None:
            spans.append((start, stop, kind))
        return spans

    def _emissions(self, group: list[Tokens]) -> Iterator[np.ndarray]:
        """Tag scores, steps x texts x tags (float32): one text in chunks, or several short ones in one pass."""
        model = self._infer.model
        if len(group) == 1:
            [tokens] = group
            context = sum(layer.conv.weight.shape[2] // 2 for layer in model.encoder.layers)
            for first in range(0, len(tokens), CHUNK_TOKENS):
                last = min(first + CHUNK_TOKENS, len(tokens))
                low, high = max(0, first - context), min(len(tokens), last + context)
                word_ids, shape_ids = np.array([self._ids(word) for word in tokens.words(low, high)]).T
                yield tag_scores(model, word_ids, shape_ids)[first - low : last - low, None]
            return
        lengths = [len(tokens) for tokens in group]
        word_ids, shape_ids = np.array([self._ids(word) for tokens in group for word in tokens.words(0, len(tokens))]).T
        scores = tag_scores(model, word_ids, shape_ids, lengths)
        steps = np.zeros((max(lengths), len(group), scores.shape[1]), dtype=scores.dtype)
        offset = 0
        for index, length in enumerate(lengths):
            steps[:length, index] = scores[offset : offset + length]
            offset += length
        yield steps


class MorphModel:
    """natasha's NewsMorphTagger's network run by `tag_scores`: the features of chosen tokens of many windows at once.

    slovnet tags each window as if alone (a batch's padding rows have zero vectors and are zeroed after each
    layer). A token's scores depend only on the tokens its convolutions see, `context` either side, so only
    the wanted tokens and that much of the window around them are run: the scores are those of the whole
    window, at a fraction of the cost (a name's window is up to 60 tokens, a name two or three)."""

    def __init__(self, tagger) -> None:
        self._model = tagger.infer.model
        self._ids = lru_cache(maxsize=WORD_CACHE_SIZE)(partial(word_and_shape_ids, tagger.infer.encoder))
        self._features = [parse_conll_tag(tag)[1] for tag in tagger.infer.decoder.tags_vocab.items]
        self._context = sum(layer.conv.weight.shape[2] // 2 for layer in self._model.encoder.layers)

    def features(self, reads: Sequence[Read]) -> list[list[dict[str, str]]]:
        """For each (tokens, low, high, first, stop), the UD features (shared dicts: read only) the tagger gives
        tokens first..stop-1 reading tokens low..high-1 alone."""
        pieces = [
            (tokens, max(low, first - self._context), min(high, stop + self._context), first, stop)
            for tokens, low, high, first, stop in reads
        ]
        found: list[list[dict[str, str]]] = []
        group: list[tuple[Tokens, int, int, int, int]] = []
        size = 0
        for piece in pieces:
            if group and size + piece[2] - piece[1] > CHUNK_TOKENS:
                found.extend(self._group_features(group))
                group, size = [], 0
            group.append(piece)
            size += piece[2] - piece[1]
        if group:
            found.extend(self._group_features(group))
        return found

    def _group_features(self, pieces: list[Read]) -> Iterator[list[dict[str, str]]]:
        ids = [self._ids(word) for tokens, low, high, _, _ in pieces for word in tokens.words(low, high)]
        word_ids, shape_ids = np.array(ids).T
        tags = tag_scores(self._model, word_ids, shape_ids, [high - low for _, low, high, _, _ in pieces]).argmax(1)
        offset = 0
        for _, low, high, first, stop in pieces:
            yield [self._features[tag] for tag in tags[offset + first - low : offset + stop - low].tolist()]
            offset += high - low


def _groups(texts: Sequence[Tokens]) -> Iterator[list[int]]:
    """Indexes of `texts`, longest first, in groups of at most CHUNK_TOKENS tokens (or one longer text);
    texts of like length share a group, so their Viterbi passes end together. Empty texts are left out."""
    order = sorted((index for index, tokens in enumerate(texts) if len(tokens)), key=lambda i: -len(texts[i]))
    group: list[int] = []
    size = 0
    for index in order:
        if group and size + len(texts[index]) > CHUNK_TOKENS:
            yield group
            group, size = [], 0
        group.append(index)
        size += len(texts[index])
    if group:
        yield group


def word_and_shape_ids(encoder, word: str) -> tuple[int, int]:
    """slovnet's WordShapeEncoder.item for one word."""
    return encoder.words_vocab.encode(word.lower()), encoder.shapes_vocab.encode(word_shape(word))


def tag_scores(model, word_ids: np.ndarray, shape_ids: np.ndarray, lengths: Sequence[int] = ()) -> np.ndarray:
    """Tag scores (tokens x tags) of sequences of `lengths` tokens laid end to end (default: one), as slovnet's NER
    model gives each alone."""
    lengths = lengths or [len(word_ids)]
    gap = max(layer.conv.padding for layer in model.encoder.layers)
    starts = np.cumsum([gap, *(length + gap for length in lengths[:-1])])
    rows = np.concatenate([np.arange(start, start + length) for start, length in zip(starts, lengths, strict=True)])
    between = np.concatenate([np.arange(start - gap, start) for start in starts[1:]] or [np.arange(0)])
    embedded = _embedded(model.emb, word_ids, shape_ids)
    features = np.zeros((rows[-1] + 1 + gap, embedded.shape[1]), dtype=embedded.dtype)
    features[rows] = embedded
    for layer in model.encoder.layers:
        features = _convolved(layer.conv, features, gap)
        inner = features[gap:-gap]
        np.clip(inner, 0, None, out=inner)
        norm = layer.norm  # (x - mean) / std * weight + bias, in place
        inner -= norm.mean.array
        inner /= norm.std.array
        inner *= norm.weight.array
        inner += norm.bias.array
        features[between] = 0
    return model.head.proj(features[rows])


def _embedded(emb, word_ids: np.ndarray, shape_ids: np.ndarray) -> np.ndarray:
    """slovnet's WordShapeEmbedding: a word's navec vector (a code row per subspace) and its shape's vector, side by
    side; the same values, gathered a code row (12 bytes) at a time, which is five times faster."""
    codes = emb.word.codes.array  # subspaces x centroids x floats
    subspaces, centroids, width = codes.shape
    rows = codes.reshape(subspaces * centroids, width).view(np.dtype((np.void, width * codes.itemsize)))[:, 0]
    picked = emb.word.indexes.array[word_ids].astype(np.intp)
    picked += np.arange(subspaces) * centroids
    words = np.take(rows, picked).view(codes.dtype).reshape(len(word_ids), subspaces * width)
    return np.concatenate((words, emb.shape.weight.array[shape_ids]), axis=1)


def _convolved(conv, padded: np.ndarray, gap: int) -> np.ndarray:
    """slovnet's Conv1d on tokens x channels framed by `gap` zero rows: each token's window as a row (channels x
    width, copied a shift at a time, which is faster than copying the strided view), one matrix product; the result
    has the same frame of zero rows."""
    filters, channels, width = conv.weight.shape
    count, first = len(padded) - 2 * gap, gap - conv.padding
    windows = np.empty((count, channels, width), dtype=padded.dtype)
    for shift in range(width):
        windows[:, :, shift] = padded[first + shift : first + shift + count]
    output = np.zeros((len(padded), filters), dtype=padded.dtype)
    inner = output[gap:-gap]
    np.matmul(
        windows.reshape(count, channels * width), conv.weight.array.reshape(filters, channels * width).T, out=inner
    )
    inner += conv.bias.array
    return output


class Viterbi:
    """slovnet's CRF.decode for sequences of `lengths` tokens, longest first, fed in pieces of steps (steps x
    sequences x tags; what lies past a sequence's end is ignored): ((score + transitions) + emission), the argmax
    over the previous tag, the best paths traced back at the end."""

    def __init__(self, transitions: np.ndarray, lengths: Sequence[int]) -> None:
        self._transitions = transitions
        self._lengths = lengths
        self._score: np.ndarray | None = None  # sequences x tags
        self._final: dict[int, np.ndarray] = {}  # sequence -> its score at its last token
        self._pointers: list[np.ndarray] = []  # per piece: steps x sequences x tags, the best previous tag
        self._step = 0

    def feed(self, emissions: np.ndarray) -> None:
        pointers = np.zeros(emissions.shape, dtype=np.uint8)
        total = np.empty((emissions.shape[1], *(emissions.shape[2],) * 2), dtype=emissions.dtype)
        score, transitions = self._score, self._transitions
        ending: dict[int, list[int]] = {}
        for sequence, length in enumerate(self._lengths):
            ending.setdefault(length - 1, []).append(sequence)
        for index, emission in enumerate(emissions):
            if score is None:
                score = emission
            else:
                np.add(score[:, :, None], transitions, out=total)
                total += emission[:, None]
                pointers[index] = total.argmax(1)
                score = total.max(1)
            for sequence in ending.get(self._step + index, ()):
                self._final[sequence] = score[sequence]
        self._score = score
        self._step += len(emissions)
        self._pointers.append(pointers)

    def tags(self) -> list[bytearray]:
        """The best tags of each sequence, in order."""
        return [self._path(sequence, length) for sequence, length in enumerate(self._lengths)]

    def _path(self, sequence: int, length: int) -> bytearray:
        tags = bytearray(length)
        if not length:
            return tags
        best, position = int(self._final[sequence].argmax()), self._step
        for pointers in reversed(self._pointers):
            position -= len(pointers)
            if position >= length:
                continue
            rows = pointers[: length - position, sequence].tolist()
            for offset in range(len(rows) - 1, -1, -1):
                tags[position + offset] = best
                best = rows[offset][best]
        return tags
