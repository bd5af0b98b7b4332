"""Russian morphology from pymorphy3, shaped as natasha's `MorphVocab`.

natasha 1.6.0's own `MorphVocab` builds a pymorphy2 analyzer, and pymorphy2 finds its
dictionary through `pkg_resources`, which fresh Python 3.12+ venvs and setuptools >= 82
no longer have. `MorphVocab` here keeps natasha's interface (`vocab(word)` -> forms with
`.normal`/`.pos`/`.feats`/`.inflect(ud_grams)`, `vocab.lemmatize(word, pos, feats)`), so
`DocToken.lemmatize` and `DocSpan.normalize` still work, but runs on pymorphy3 with an
explicit dictionary path.

`parse(word)` is the fast path the entity code uses: the cached pymorphy3 parses of a
word. The UD `pos`/`feats` are computed only when natasha asks for them.
"""

import unicodedata
from functools import cache, cached_property, lru_cache

import natasha  # noqa: F401  (patches inspect.getargspec for pymorphy2, which natasha.morph imports)
import pymorphy3
import pymorphy3.shapes
import pymorphy3_dicts_ru
from natasha.morph.vocab import oc_grams, ud_feats, ud_pos
from pymorphy3.analyzer import Parse

PARSE_CACHE_SIZE = 200_000


class MorphForm(Parse):
    """A pymorphy3 parse that also answers natasha's `.normal`, `.pos`, `.feats`."""

    @property
    def normal(self) -> str:
        return self.normal_form

    @cached_property
    def pos(self) -> str:
        return ud_pos(self.tag)

    @cached_property
    def feats(self) -> dict[str, str]:
        return dict(ud_feats(self.tag))

    @cached_property
    def is_known(self) -> bool:
        """pymorphy3 looks the word up in its dictionary at every call; parses here are cached, so is the answer."""
        return Parse.is_known.fget(self)

    def inflect(self, grams):
        """natasha passes UD grammemes (`{"Case": "Nom"}` values), pymorphy wants OpenCorpora ones."""
        return Parse.inflect(self, set(oc_grams(grams)))


class MorphVocab(pymorphy3.MorphAnalyzer):
    """Drop-in for `natasha.MorphVocab`, without pkg_resources."""

    def __init__(self) -> None:
        super().__init__(path=pymorphy3_dicts_ru.get_path(), lang="ru", result_type=MorphForm)

    def __call__(self, word: str) -> list[MorphForm]:
        return list(parse(word))

    def lemmatize(self, word: str, pos: str, feats: dict[str, str]) -> str:
        from natasha.morph.lemma import lemmatize

        return lemmatize(self, word, pos, feats)


@cache
def morph_vocab() -> MorphVocab:
    """The process-wide vocabulary: one dictionary load, one parse cache."""
    return MorphVocab()


def parse(word: str) -> tuple[MorphForm, ...]:
    """All pymorphy3 parses of `word`, best first (case-insensitive, cached)."""
    return _parse_lowercase(word.lower())


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parse_lowercase(word: str) -> tuple[MorphForm, ...]:
    try:
        return tuple(pymorphy3.MorphAnalyzer.parse(morph_vocab(), word))
    except ValueError:
        _mark_nameless_letters_not_latin(word)
        return tuple(pymorphy3.MorphAnalyzer.parse(morph_vocab(), word))


def _mark_nameless_letters_not_latin(word: str) -> None:
    """pymorphy3 asks `unicodedata.name` whether each letter is Latin, and letters the
    running Python's Unicode tables name nothing (Tangut, new scripts) make it raise; its
    cache takes the answer instead."""
    for letter in word:
        if letter.isalpha() and not unicodedata.name(letter, ""):
            pymorphy3.shapes._latin_letters_cache[letter] = False
