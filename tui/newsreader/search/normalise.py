"""Words as search sees them: tokens, their case/ё-folded form, their stem, and a query word's forms.

A text word matches a query word when (a) the query word does not inflect (Баку, США,
numbers, Latin) and the words are equal, or (b) the text word's Snowball stem is the
stem of one of the forms of the query word's lemmas (Путина → путин; россиян → the
forms of россиянин; люди → человек), or (c) the text word equals the stem of the query
word's lemma (освобождение → освобожден, the short participle). A form whose stem is
cut shorter than the lemma's (мирен → мир) matches only as itself, so мирный does not
find мир. Stems catch what the dictionary splits (derivation, unknown words); lemmas
catch what stems split (россиянин/россиян, человек/люди). The index stores only stems
(cheap: no dictionary look-up per word); the lemmas are expanded on the query side.
bench/bench_search.py measures the choice.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from newsreader.folding import fold_aligned

NORMALISER_VERSION = "1"  # bump when tokens, folding or stems would change: the index is rebuilt
WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[а-я]")
STEM_CACHE_LIMIT = 500_000
EXPANSION_CACHE_SIZE = 4096
MIN_LEMMA_SHARE = 0.05  # a lemma this improbable for the word (стали → сталь) is left out
PROPER_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})

_stemmer = Stemmer.Stemmer("russian")
_stems: dict[str, str] = {}


def words(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    return WORD.findall(fold_aligned(text))


def stem(word: str) -> str:
    """Snowball stem of a folded word; words without Cyrillic are their own stem. Always a prefix of `word`."""
    found = _stems.get(word)
    if found is None:
        if len(_stems) >= STEM_CACHE_LIMIT:
            _stems.clear()
        found = _stemmer.stemWord(word) if _CYRILLIC.search(word) else word
        _stems[word] = found
    return found


def stems(folded_words: list[str]) -> list[str]:
    return [stem(word) for word in folded_words]


@dataclass(frozen=True, slots=True)
class WordForms:
    """What a folded text word must be (`exact`) or have as its stem (`stems`) to match one query word."""

    exact: frozenset[str]
    stems: frozenset[str]

    def matches(self, word: str) -> bool:
        return word in self.exact or stem(word) in self.stems


@lru_cache(maxsize=EXPANSION_CACHE_SIZE)
def word_forms(word: str) -> WordForms:
    """Expand one query word into the forms it matches.

    The word is as typed: a capital, or a name being the likelier reading, keeps only the name readings.
    """
    from newsreader.nlp.morph import parse  # loads the dictionary on first use

    folded = fold_aligned(word)
    if not _CYRILLIC.search(folded):
        return WordForms(frozenset({folded}), frozenset())
    lemmas: dict[tuple[str, str], list] = {}
    for candidate in parse(folded):
        lemmas.setdefault((candidate.normal_form, candidate.tag.POS or ""), []).append(candidate)
    ranked = sorted(lemmas.values(), key=lambda group: -sum(candidate.score for candidate in group))
    proper = [group for group in ranked if PROPER_TAGS & group[0].tag.grammemes]
    if proper and (word[:1].isupper() or proper[0] is ranked[0]):  # Путин is not the plural of путина
        ranked = proper
    total = sum(candidate.score for group in ranked for candidate in group) or 1.0
    exact, stem_set = {folded}, set()
    for index, group in enumerate(ranked):
        if index and sum(candidate.score for candidate in group) / total < MIN_LEMMA_SHARE:
            continue
        best = group[0]
        if "Fixd" in best.tag:
            exact.add(fold_aligned(best.word))
            continue
        lemma_stem = stem(fold_aligned(best.normal_form))
        for form in {fold_aligned(form.word) for form in best.lexeme}:
            form_stem = stem(form)
            if len(form_stem) < len(lemma_stem) and lemma_stem.startswith(form_stem):
                exact.add(form)  # мирен → мир would also match мир: keep the form itself only
            else:
                stem_set.add(form_stem)
        exact.add(lemma_stem)
    exact = {form for form in exact if stem(form) not in stem_set}  # the stems already match these
    return WordForms(frozenset(exact), frozenset(stem_set))
