"""natasha's NER model over a text of any size, with exactly the tags it gives the whole text.

The model is a CNN under a CRF. slovnet runs the CNN over all tokens at once (~8 KB of
arrays a token: 3 GB for a 4.6 MB article) and its Viterbi keeps an array per token.
Here the CNN runs on chunks of CHUNK_TOKENS tokens, each with the few tokens of context
the convolutions see on either side, so every chunk's emissions are those the whole text
gives; chunks this size are also twice as fast per token as one huge matrix. The
Viterbi pass then runs over the whole text as slovnet's does, in the same float32
arithmetic, keeping one byte per token and tag of back-pointers.

`tag_scores` is slovnet's forward pass (slovnet/exec/model.py: Tag, CNNEncoder, Conv1d,
ReLU, BatchNorm1d) for one sequence without padding: the same float32 operations on the
same values in the same order, so bit for bit the same scores, but with a third fewer
copies of the arrays and no padding mask. Word and shape ids are looked up once per
distinct word of the article.
"""

from collections.abc import Iterator

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from razdel.substring import Substring
from slovnet.bio import bio_spans
from slovnet.shape import word_shape

from newsreader.nlp.tokens import Tokens

CHUNK_TOKENS = 2_000


def ner_spans(tagger, tokens: Tokens) -> list[tuple[int, int, str]]:
    """(start, end, type) of natasha's NER spans over `tokens`."""
    if not len(tokens):
        return []
    infer = tagger.infer
    decoder = Viterbi(infer.model.head.crf.transitions.array)
    for emissions in _emissions(infer, tokens):
        decoder.feed(emissions)
    names = infer.decoder.tags_vocab.items
    tags = (names[tag] for tag in decoder.tags())
    bounds = (Substring(start, stop, "") for start, stop in zip(tokens.starts, tokens.stops, strict=True))
    return [(span.start, span.stop, span.type) for span in bio_spans(bounds, tags)]


def _emissions(infer, tokens: Tokens) -> Iterator[np.ndarray]:
    """Per-token tag scores (tokens x tags, float32), chunk by chunk."""
    model, encoder = infer.model, infer.encoder
    context = sum(layer.conv.weight.shape[2] // 2 for layer in model.encoder.layers)
    ids: dict[str, tuple[int, int]] = {}
    count = len(tokens)
    for first in range(0, count, CHUNK_TOKENS):
        last = min(first + CHUNK_TOKENS, count)
        low, high = max(0, first - context), min(count, last + context)
        pairs = [
            ids.get(word) or ids.setdefault(word, word_and_shape_ids(encoder, word)) for word in tokens.words(low, high)
        ]
        word_ids, shape_ids = np.array(pairs).T
        yield tag_scores(model, word_ids, shape_ids)[first - low : last - low]


def word_and_shape_ids(encoder, word: str) -> tuple[int, int]:
    """slovnet's WordShapeEncoder.item for one word."""
    return encoder.words_vocab.encode(word.lower()), encoder.shapes_vocab.encode(word_shape(word))


def tag_scores(model, word_ids: np.ndarray, shape_ids: np.ndarray) -> np.ndarray:
    """Tag scores (tokens x tags) of one unpadded sequence, as slovnet's NER model gives them."""
    features = model.emb(word_ids[None], shape_ids[None])[0]
    for layer in model.encoder.layers:
        features = _convolved(layer.conv, features)
        np.clip(features, 0, None, out=features)
        norm = layer.norm  # (x - mean) / std * weight + bias, in place
        features -= norm.mean.array
        features /= norm.std.array
        features *= norm.weight.array
        features += norm.bias.array
    return model.head.proj(features)


def _convolved(conv, features: np.ndarray) -> np.ndarray:
    """slovnet's Conv1d on tokens x channels: zero padding, windows as rows, one matrix product."""
    filters, channels, width = conv.weight.shape
    padded = np.zeros((len(features) + 2 * conv.padding, channels), dtype=features.dtype)
    padded[conv.padding : conv.padding + len(features)] = features
    windows = sliding_window_view(padded, width, axis=0).reshape(-1, channels * width)
    product = np.matmul(windows, conv.weight.array.reshape(filters, channels * width).T)
    product += conv.bias.array
    return product


class Viterbi:
    """slovnet's CRF.decode for one sequence fed in pieces: ((score + transitions) + emission),
    the argmax over the previous tag, the best path traced back at the end."""

    def __init__(self, transitions: np.ndarray) -> None:
        self._transitions = transitions
        self._score: np.ndarray | None = None
        self._pointers: list[np.ndarray] = []  # per piece: tokens x tags, the best previous tag

    def feed(self, emissions: np.ndarray) -> None:
        pointers = np.zeros(emissions.shape, dtype=np.uint8)
        total = np.empty((emissions.shape[1],) * 2, dtype=emissions.dtype)
        score, transitions = self._score, self._transitions
        for index, emission in enumerate(emissions):
            if score is None:
                score = emission
                continue
            np.add(score[:, None], transitions, out=total)
            total += emission
            pointers[index] = total.argmax(0)
            score = total.max(0)
        self._score = score
        self._pointers.append(pointers)

    def tags(self) -> bytearray:
        """The best tag of every token fed, in order."""
        if self._score is None:  # nothing fed
            return bytearray()
        count = sum(len(pointers) for pointers in self._pointers)
        tags = bytearray(count)
        best, position = int(self._score.argmax()), count
        for pointers in reversed(self._pointers):
            for row in reversed(pointers.tolist()):
                position -= 1
                tags[position] = best
                best = row[best]
        return tags
