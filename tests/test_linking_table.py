"""Within-article linking, scored on tests/data/linking.txt: do two marked mentions get the same key?

Every pair of marked mentions in an article is a decision: the same entity (same label) or not.
Recall is the share of same-entity pairs that got one key, precision the share of one-key pairs
that are one entity. A marked mention the recognizer did not find shares a key with nothing.
The table is scored as a whole because the target is a rate; the failures are listed by article.
"""

import re
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pytest

from newsreader.nlp.entities import EntityRecognizer, TextAnalysis

TABLE = Path(__file__).parent / "data" / "linking.txt"
MARK = re.compile(r"\[([^\]]+)\]\{(\w+)\}")
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.99


@dataclass(frozen=True)
class Marked:
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Article:
    title: str
    text: str
    marked: tuple[Marked, ...]


def table_articles(path: Path = TABLE) -> list[Article]:
    """The articles of the table, marks taken out of the text."""
    articles: list[Article] = []
    title, lines = "", []
    for line in [*path.read_text(encoding="utf-8").splitlines(), "## end"]:
        if line.startswith("## "):
            if lines:
                articles.append(_unmarked(title, "\n".join(lines)))
            title, lines = line[3:], []
        elif not line.startswith("#") and line.strip():
            lines.append(line)
    return articles


def _unmarked(title: str, marked_text: str) -> Article:
    text, marks, position = [], [], 0
    length = 0
    for match in MARK.finditer(marked_text):
        text.append(marked_text[position : match.start()])
        length += match.start() - position
        surface = match.group(1)
        marks.append(Marked(length, length + len(surface), match.group(2)))
        text.append(surface)
        length += len(surface)
        position = match.end()
    text.append(marked_text[position:])
    return Article(title, "".join(text), tuple(marks))


def found_key(analysis: TextAnalysis, mark: Marked) -> str | None:
    """The key of the entity overlapping the mark (the first one), if the recognizer found one."""
    for entity in analysis.entities:
        if entity.start < mark.end and mark.start < entity.end:
            return entity.key
    return None


@dataclass
class Score:
    same_pairs: int = 0
    linked_pairs: int = 0
    right_links: int = 0
    report: list[str] | None = None

    @property
    def recall(self) -> float:
        return self.right_links / self.same_pairs

    @property
    def precision(self) -> float:
        return self.right_links / self.linked_pairs if self.linked_pairs else 1.0


def score(recognizer: EntityRecognizer, articles: list[Article]) -> Score:
    result = Score(report=[])
    analyses = recognizer.analyze_many([article.text for article in articles])
    for article, analysis in zip(articles, analyses, strict=True):
        keys = [found_key(analysis, mark) for mark in article.marked]
        for (first, first_key), (second, second_key) in combinations(zip(article.marked, keys, strict=True), 2):
            same = first.label == second.label
            linked = first_key is not None and first_key == second_key
            result.same_pairs += same
            result.linked_pairs += linked
            result.right_links += same and linked
            if same != linked:
                surfaces = [article.text[mark.start : mark.end] for mark in (first, second)]
                result.report.append(
                    f"{article.title}: {surfaces[0]!r}={first_key} {'≠' if same else '='} {surfaces[1]!r}={second_key}"
                )
    return result


@pytest.fixture(scope="module")
def table_score() -> Score:
    return score(EntityRecognizer(), table_articles())


def test_the_table_is_big_enough_and_well_formed() -> None:
    articles = table_articles()
    assert len(articles) >= 30
    same_pairs = 0
    for article in articles:
        assert "[" not in article.text and "{" not in article.text, article.title
        labels = [mark.label for mark in article.marked]
        same_pairs += sum(labels.count(label) * (labels.count(label) - 1) // 2 for label in set(labels))
    assert same_pairs >= 150


def test_the_marks_come_out_of_the_text() -> None:
    article = _unmarked("t", "Глава [МИД]{m} [Сергей Лавров]{l} и [Лавров]{l}.")
    assert article.text == "Глава МИД Сергей Лавров и Лавров."
    assert [article.text[m.start : m.end] for m in article.marked] == ["МИД", "Сергей Лавров", "Лавров"]
    assert [m.label for m in article.marked] == ["m", "l", "l"]


def test_linking_recall_and_precision(table_score: Score) -> None:
    report = "\n".join(table_score.report or [])
    assert table_score.recall >= TARGET_RECALL, f"recall {table_score.recall:.3f}\n{report}"
    assert table_score.precision >= TARGET_PRECISION, f"precision {table_score.precision:.3f}\n{report}"


@pytest.fixture(scope="module")
def recognizer() -> EntityRecognizer:
    return EntityRecognizer()


def keys_by_text(recognizer: EntityRecognizer, text: str) -> dict[str, str]:
    return {entity.text: entity.key for entity in recognizer.analyze(text).entities}


def test_a_surname_form_joins_the_person_of_its_gender(recognizer: EntityRecognizer) -> None:
    text = "Елена Соколова и её тренер Евгений Соколов приехали. Выступление Соколовой назначено на субботу."
    assert keys_by_text(recognizer, text)["Соколовой"] == "PER:елена соколова"
    text = "Супруги Анна Петрова и Игорь Петров пришли в суд. Адвокат Петрова заявил, что обжалует приговор."
    assert keys_by_text(recognizer, text)["Петрова"] == "PER:игорь петров"


def test_initials_and_surname_anchor_a_bare_surname(recognizer: EntityRecognizer) -> None:
    found = keys_by_text(recognizer, "Заседание открыл С. В. Лавров. Затем Лавров рассказал о планах.")
    assert found["Лавров"] == found["С. В. Лавров"]


def test_a_bare_surname_that_is_a_place_of_the_article_stays_apart(recognizer: EntityRecognizer) -> None:
    text = "В Королёве открыли памятник Сергею Королёву. Глава Королёва выступил на открытии."
    found = keys_by_text(recognizer, text)
    assert found["Королёва"] != found["Сергею Королёву"]
