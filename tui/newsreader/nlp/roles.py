"""Roles and titles of people: "глава МИД Сергей Лавров", "Сергей Лавров, глава МИД,", and later "глава МИД" alone.

A role is a post from rules/roles.txt (its head: "министр", "главный тренер"), with the adjectives
before it ("российский", "бывший") and its complement after it ("спорта", "МИД России",
"компании «Лукойл»"). It is a *title* of the person it stands next to: right before the name, in
the same case, or in apposition after it, between commas, a dash or brackets. A role with no name
beside it is a *reference*: it stands for the one person the article titled with a matching role
before it ("глава государства" for the "президент России" named earlier). When no one, or more than
one person, holds a matching role, the reference is left unlinked: precision first.

One pass over the words of each sentence that can hold a role (one that names a person, or any once
someone is titled); pymorphy3 is asked only about the words next to a post.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from pymorphy3.analyzer import Parse

from newsreader.folding import fold_aligned as fold
from newsreader.nlp.entities import EntityMention
from newsreader.nlp.morph import parse
from newsreader.nlp.rolebook import RoleBook, lemma, role_book

TITLE = "title"
REFERENCE = "reference"
TOKEN = re.compile(r"\w+(?:[-‐‑]\w+)*|[^\w\s]")
QUOTE_MARKS = frozenset('«»„“”"')
MAX_COMPLEMENT = 8  # words between a post and the name it titles: "председатель комитета Госдумы по делам СНГ"
MAX_FREE_COMPLEMENT = 4  # words of a complement with no name after it: "министр иностранных дел России"
MAX_ADJECTIVES = 2
NOT_IN_COMPLEMENT = frozenset({"VERB", "INFN", "GRND", "PRTS", "PRED", "ADVB", "NPRO", "INTJ", "PRCL"})
NOT_LAST_IN_COMPLEMENT = frozenset({"CONJ", "PREP"})
APPOSITION_OPENS = re.compile(r"\s*[,(—–]\s*")
APPOSITION_CLOSES = re.compile(r"\s*(?:[,)—–.;:!?]|$)")
NEUTRAL_COMPLEMENTS = frozenset({"страна"})


@dataclass(frozen=True, slots=True)
class RoleMention:
    """`text[start:end]` names a post ("главы МИД"), `role` is its nominative ("глава МИД"); `key` is the
    person's entity key; `kind` is TITLE (beside the name) or REFERENCE (standing for it)."""

    start: int
    end: int
    role: str
    key: str
    kind: str


@dataclass(frozen=True, slots=True)
class Post:
    """What a role means, for matching a reference to a title: "глава МИД России" and "министр иностранных
    дел" are one post; the place must agree when the reference names one."""

    name: str
    head: str
    place: str | None
    rest: frozenset[str]
    modifiers: frozenset[str]

    def covers(self, title: Post) -> bool:
        """Whether a reference meaning this post can stand for the holder of `title`."""
        same_post = self.name == title.name or (self.name == self.head == title.head and not self.rest)
        return (
            same_post
            and (self.place is None or self.place == title.place)
            and self.rest <= title.rest
            and self.modifiers <= title.modifiers
        )


@dataclass
class _Found:
    """A role in the making: token ranges of its adjectives, head and complement."""

    first: int  # first adjective (or the head)
    head: int
    head_end: int
    end: int  # after the complement
    key: str = ""
    kind: str = ""


class _Sentence:
    """One sentence's tokens, their folded forms, and the entity mention covering each (-1: none)."""

    def __init__(
        self, text: str, folded: str, start: int, end: int, entities: Sequence[EntityMention], starts: Sequence[int]
    ):
        self.text = text
        self.spans = [match.span() for match in TOKEN.finditer(text, start, end)]
        self.words = [text[s:e] for s, e in self.spans]
        self.folded = [folded[s:e] for s, e in self.spans]  # `folded` is the text folded: the same offsets
        self.entity = [-1] * len(self.spans)
        self.entities = entities
        at = max(bisect_left(starts, start) - 1, 0)
        for index, (token_start, token_end) in enumerate(self.spans):
            while at < len(entities) and entities[at].end <= token_start:
                at += 1
            if at < len(entities) and entities[at].start < token_end:
                self.entity[index] = at

    def __len__(self) -> int:
        return len(self.spans)

    def is_word(self, index: int) -> bool:
        return self.words[index][0].isalnum()

    def opens(self, index: int) -> bool:
        """No word before token `index` in the sentence: a capital there says nothing."""
        return not any(self.is_word(before) for before in range(index))

    def mention_end(self, index: int) -> int:
        """The token after the entity mention covering token `index`."""
        entity = self.entities[self.entity[index]]
        while index < len(self) and self.entity[index] >= 0 and self.entities[self.entity[index]] is entity:
            index += 1
        return index

    def person_at(self, index: int) -> EntityMention | None:
        """The PER mention starting at token `index`, if one does."""
        at = self.entity[index] if index < len(self) else -1
        mention = self.entities[at] if at >= 0 else None
        if mention is not None and mention.type == "PER" and mention.start == self.spans[index][0]:
            return mention
        return None


def find_roles(text: str, entities: Sequence[EntityMention], sentences: Sequence[tuple[int, int]]) -> list[RoleMention]:
    """Every title and linked reference of `text`, in text order; `entities` are in text order."""
    book = role_book()
    starts = [entity.start for entity in entities]
    person_ends = [entity.end for entity in entities if entity.type == "PER"]
    person_starts = [entity.start for entity in entities if entity.type == "PER"]
    titles: dict[str, dict[Post, set[str]]] = {}  # head or name -> post -> keys of the people titled with it so far
    found: list[RoleMention] = []
    folded = fold(text)
    for sentence_start, sentence_end in sentences:
        person = bisect_right(person_ends, sentence_start)  # the first person ending inside or after the sentence
        if not titles and not (person < len(person_starts) and person_starts[person] < sentence_end):
            continue  # a role with no one titled before and no name in its sentence would stand for no one
        sentence = _Sentence(text, folded, sentence_start, sentence_end, entities, starts)
        for role in _roles(sentence, book):
            start, end = sentence.spans[role.first][0], sentence.spans[role.end - 1][1]
            post = _post(sentence, role, book)
            if role.kind == TITLE:
                for word in {post.head, post.name}:
                    titles.setdefault(word, {}).setdefault(post, set()).add(role.key)
            else:
                holder = _one_holder(post, titles)
                if holder is None:
                    continue
                role.key = holder
            found.append(RoleMention(start, end, _nominative(sentence, role), role.key, role.kind))
    return found


def _one_holder(reference: Post, titles: dict[str, dict[Post, set[str]]]) -> str | None:
    """The key of the one person titled with a post the reference covers; None for none or several. A post
    covers a title of its own head, or one of its own name ("глава МИД" the "министр иностранных дел")."""
    holders: set[str] = set()
    for word in {reference.head, reference.name}:
        for title, keys in titles.get(word, {}).items():
            if reference.covers(title):
                holders |= keys
                if len(holders) > 1:
                    return None
    return holders.pop() if holders else None


def _roles(sentence: _Sentence, book: RoleBook) -> list[_Found]:
    """The roles of one sentence: titles before a name, then appositions, then references."""
    heads = []
    after = 0  # tokens before this belong to a post found
    for index, word in enumerate(sentence.folded):
        if index >= after and word in book.head_forms and (head_end := _head_at(sentence, index, book)):
            heads.append((index, head_end))
            after = head_end
    found: list[_Found] = []
    taken_to = 0  # tokens before this belong to a role found: a complement's post is no role of its own
    for head, head_end in heads:
        if head < taken_to:
            continue
        first = _adjectives_before(sentence, head, max(taken_to, 0))
        role = _titled(sentence, first, head, head_end, book) or _free(sentence, first, head, head_end, book)
        if role is not None:
            found.append(role)
            taken_to = role.end
    return found


def _head_at(sentence: _Sentence, index: int, book: RoleBook) -> int:
    """The token after the post starting at token `index`, or 0 when none starts there."""
    if index >= len(sentence):
        return 0
    if sentence.folded[index] not in book.head_forms or sentence.entity[index] >= 0:
        return 0
    if sentence.words[index][0].isupper() and not sentence.opens(index):
        return 0
    for length in range(min(book.longest_head, len(sentence) - index), 0, -1):
        forms = [book.head_forms.get(f, set()) for f in sentence.folded[index : index + length]]
        if any(sentence.entity[index + k] >= 0 for k in range(length)):
            continue
        for head in book.heads:
            if len(head) == length and all(word in options for word, options in zip(head, forms, strict=True)):
                if lemma(sentence.words[index + length - 1]) == head[-1]:  # not "После" (a form of "посол")
                    return index + length
    return 0


def _adjectives_before(sentence: _Sentence, head: int, limit: int) -> int:
    """The first of the agreeing adjectives right before the post ("бывшего российского министра")."""
    cases = _cases(sentence.words[head])
    first = head
    while first > limit and head - first < MAX_ADJECTIVES:
        word = sentence.words[first - 1]
        if not sentence.is_word(first - 1) or sentence.entity[first - 1] >= 0:
            break
        if word[0].isupper() and not sentence.opens(first - 1):
            break
        if not any(
            p.tag.POS in ("ADJF", "PRTF") and "Apro" not in p.tag and "plur" not in p.tag and p.tag.case in cases
            for p in parse(word)
        ):
            break
        first -= 1
    return first


def _titled(sentence: _Sentence, first: int, head: int, head_end: int, book: RoleBook) -> _Found | None:
    """The role as the title of the name right after its complement, when one follows in the same case."""
    index = head_end
    named: _Found | None = None  # a name followed by "по", in case no later name takes the role
    while index < len(sentence) and index - head_end <= MAX_COMPLEMENT:
        person = sentence.person_at(index)
        if person is not None:
            after = sentence.mention_end(index)
            following = sentence.person_at(after)
            if following is not None and sentence.text[person.end : following.start].isspace():
                index = after  # "пресс-секретарь Владимира Путина Дмитрий Песков": the first name is the complement
                continue
            fits = _complement_fits(sentence, first, head, head_end, index, book)
            agrees = fits and _agrees(sentence.words[head_end - 1], sentence.words[index])
            found = _Found(first, head, head_end, index, person.key, TITLE) if agrees else None
            if after < len(sentence) and sentence.folded[after] == "по":
                named = named or found  # "помощник Хиллари Клинтон по европейским делам Фил Гордон": maybe
                index = after
                continue
            return found
        if sentence.entity[index] >= 0:
            index = sentence.mention_end(index)
            continue
        word = sentence.words[index]
        if not sentence.is_word(index):
            if word not in QUOTE_MARKS:
                return named
        elif parse(word)[0].tag.POS in NOT_IN_COMPLEMENT:
            return named
        elif parse(word)[0].tag.POS == "CONJ" and (index == head_end or _head_at(sentence, index + 1, book)):
            return named  # "президент и первая леди Мишель Обама", "капитан клуба … и защитник Арсенала Иван Петров"
        index += 1
    return named


def _free(sentence: _Sentence, first: int, head: int, head_end: int, book: RoleBook) -> _Found | None:
    """The role with no name after it: in apposition to the name before it, else a reference (linked later)."""
    end = _free_complement_end(sentence, head_end)
    if not _complement_fits(sentence, first, head, head_end, end, book):
        return None
    start, stop = sentence.spans[first][0], sentence.spans[end - 1][1]
    text = sentence.text
    before = first - 1
    while before >= 0 and not sentence.is_word(before) and first - before <= 2:
        before -= 1
    person = sentence.entities[sentence.entity[before]] if before >= 0 and sentence.entity[before] >= 0 else None
    closes = APPOSITION_CLOSES.match(text, stop, sentence.spans[-1][1])
    if person is not None and person.type == "PER" and APPOSITION_OPENS.fullmatch(text, person.end, start) and closes:
        return _Found(first, head, head_end, end, person.key, TITLE)
    if end == head_end and any("plur" in p.tag for p in parse(sentence.words[head_end - 1])):
        return None  # "Судьи были найдены": a bare post that may be plural stands for no one person
    return _Found(first, head, head_end, end, "", REFERENCE)


def _free_complement_end(sentence: _Sentence, index: int) -> int:
    """After the organisations, places, abbreviations and genitive words that follow a post."""
    words = 0
    while index < len(sentence) and words < MAX_FREE_COMPLEMENT:
        at = sentence.entity[index]
        word = sentence.words[index]
        if at >= 0 and sentence.entities[at].type != "PER" and sentence.entities[at].start == sentence.spans[index][0]:
            index = sentence.mention_end(index)
        elif at < 0 and sentence.is_word(index) and (_is_abbreviation(word) or _is_genitive(word)):
            index += 1
        else:
            break
        words += 1
    return index


def _complement_fits(sentence: _Sentence, first: int, head: int, head_end: int, end: int, book: RoleBook) -> bool:
    """A complement ends on a word, not a conjunction or preposition; a post that needs one ("глава") has one
    that names an institution, a name, an abbreviation or a place ("российский лидер")."""
    words = [index for index in range(head_end, end) if sentence.is_word(index)]
    if words and parse(sentence.words[words[-1]])[0].tag.POS in NOT_LAST_IN_COMPLEMENT:
        return False
    head_words = tuple(lemma(word) for word in sentence.words[head:head_end])
    if not book.heads.get(head_words, False):
        return True
    if any(lemma(sentence.words[i]) in book.place_adjectives for i in range(first, head)):
        return True
    return any(
        sentence.entity[index] >= 0
        or sentence.words[index][0].isupper()
        or lemma(sentence.words[index]) in book.institutions
        for index in words
    )


def _post(sentence: _Sentence, role: _Found, book: RoleBook) -> Post:
    """What the role means, from the lemmas of its words."""
    adjectives = [lemma(sentence.words[i]) for i in range(role.first, role.head)]
    head = [lemma(word) for word in sentence.words[role.head : role.head_end]]
    complement = [lemma(sentence.words[i]) for i in range(role.head_end, role.end) if sentence.is_word(i)]
    place = next((book.place_adjectives[a] for a in adjectives if a in book.place_adjectives), None)
    modifiers = frozenset(a for a in adjectives if a not in book.place_adjectives)
    rest: list[str] = []
    index = 0
    while index < len(complement):
        for length in (2, 1):
            name = book.place_names.get(tuple(complement[index : index + length]))
            if name is not None:
                place = name
                index += length
                break
        else:
            rest.append(complement[index])
            index += 1
    words = head + rest
    for length in range(len(words), len(head) - 1, -1):
        name = book.same.get(tuple(words[:length]))
        if name is not None:
            return Post(name, " ".join(head), place, frozenset(words[length:]) - NEUTRAL_COMPLEMENTS, modifiers)
    return Post(" ".join(head), " ".join(head), place, frozenset(rest) - NEUTRAL_COMPLEMENTS, modifiers)


def _nominative(sentence: _Sentence, role: _Found) -> str:
    """ "главы МИД" -> "глава МИД", "российского лидера" -> "российский лидер": the complement keeps its case."""
    head = sentence.words[role.head : role.head_end]
    head_parses = [p for p in parse(head[-1]) if fold(p.normal_form) == lemma(head[-1])]
    gender = "femn" if head_parses and head_parses[0].tag.gender == "femn" else "masc"
    words = [_adjective_nominative(word, gender) for word in sentence.words[role.first : role.head]]
    words += [_adjective_nominative(word, gender) for word in head[:-1]]
    words.append(head_parses[0].normal_form if head_parses else head[-1].lower())
    complement = (
        sentence.text[sentence.spans[role.head_end][0] : sentence.spans[role.end - 1][1]]
        if role.end > role.head_end
        else ""
    )
    return " ".join([*words, " ".join(complement.split())]).strip()


def _adjective_nominative(word: str, gender: str) -> str:
    for p in parse(word):
        if p.tag.POS in ("ADJF", "PRTF"):
            inflected = Parse.inflect(p, {"nomn", "sing", gender})  # OpenCorpora grammemes, not natasha's
            if inflected is not None:
                return inflected.word
    return word.lower()


def _cases(word: str) -> set[str]:
    return {p.tag.case for p in parse(word) if p.tag.case}


def _agrees(head_word: str, name_word: str) -> bool:
    """The post and the name it titles are in one case ("министру спорта Олегу Матыцину"); a name the
    dictionary does not know is given the benefit of the doubt."""
    known = [p for p in parse(name_word) if p.is_known and p.tag.case and "plur" not in p.tag]
    return not known or bool(_cases(head_word) & {p.tag.case for p in known})


def _is_abbreviation(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def _is_genitive(word: str) -> bool:
    return word.islower() and any(p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF", "PRTF") for p in parse(word))
