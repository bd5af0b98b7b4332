"""The stories cache: the last grouping read back whole, a changed archive grouped from where it changed (equal
to one grouping of the whole), and a damaged or mismatched cache ignored with one warning."""

import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest

from newsreader.ingest.parse import Article
from newsreader.store import stories
from newsreader.store.stories import Grouping, Stories, regroup
from newsreader.store.story_cache import GroupCache, SignatureCache, find_stories
from story_corpus import LabelledText, labelled_set, pair_scores, six_reports_each
from test_stories import load, story_labels, write_archive


def with_copies(texts: list[LabelledText], copies: int = 3) -> list[LabelledText]:
    """`texts` and a few copies of some of them (a line added): rows the LSH index leaves out, as in a real archive."""
    made = [
        dataclasses.replace(each, outlet=f"copy{number}", body=f"{each.body}\n\nОбновлено {number}.")
        for each in texts[::40]
        for number in range(copies)
    ]
    return texts + made


@pytest.fixture(scope="module")
def labelled_articles(tmp_path_factory) -> tuple[list[Article], list[str]]:
    """The labelled set of seed 14 with copies, as loaded, and each article's true story."""
    root = tmp_path_factory.mktemp("labelled")
    texts = with_copies(labelled_set(14))
    write_archive(root, texts)
    articles = load(root)
    by_text = {each.text(): each.story for each in texts}
    return articles, [by_text[article.text] for article in articles]


class Recorded:
    """`regroup`, recording how many rows each call had grouped already and how many in all."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def __call__(self, before: Grouping, matrix: np.ndarray) -> tuple[Grouping, list[list[int]]]:
        self.calls.append((before.rows, len(matrix)))
        return regroup(before, matrix)


def grouped_once(articles: list[Article], path) -> tuple[Stories, Grouping]:
    """The stories of one grouping of `articles` in this order, and that grouping (as cached)."""
    cache = GroupCache(path)
    found = find_stories(articles, None, [], groups=cache)
    before = cache.read()
    assert before is not None and before.fingerprints == [article.fingerprint for article in articles]
    return found, before.grouping


def assert_same_grouping(one: Grouping, other: Grouping) -> None:
    for name in ("first", "second", "shared", "indexed"):
        assert np.array_equal(getattr(one, name), getattr(other, name)), name


def test_the_cache_gives_back_the_grouping_and_its_stories(tmp_path, labelled_articles):
    articles, _ = labelled_articles
    cache = GroupCache(tmp_path / "groups.bin")
    found = find_stories(articles, None, [], groups=cache)
    before = cache.read()
    assert before is not None
    assert before.fingerprints == [article.fingerprint for article in articles]
    assert Stories.of(before.fingerprints, before.groups) == found and len(found) >= 30
    grouping, groups = regroup(
        Grouping.empty(), stories.signatures([stories.body_of(each.text, each.title) for each in articles])
    )
    assert_same_grouping(before.grouping, grouping)
    assert sorted(before.groups) == sorted(groups)
    assert (~before.grouping.indexed).sum() >= 3 * 7, "the copies are not indexed"


def test_a_start_where_nothing_changed_neither_hashes_nor_groups(tmp_path, labelled_articles):
    articles, _ = labelled_articles
    signatures = SignatureCache(tmp_path / "signatures.bin")
    groups = GroupCache(tmp_path / "groups.bin")
    first = find_stories(articles, signatures, [], groups=groups)
    signatures.path.write_bytes(b"")  # were it read, this would be a warning
    hashed: list[list[str]] = []
    grouped = Recorded()
    shuffled = random.Random(1).sample(articles, len(articles))  # the order they come in does not count
    warnings: list[str] = []
    again = find_stories(shuffled, signatures, warnings, hash_bodies=hashed.append, group_rows=grouped, groups=groups)
    assert again == first and hashed == [] and grouped.calls == [] and warnings == []


@pytest.mark.parametrize("split_seed", [1, 2, 3])
def test_articles_added_are_grouped_after_the_others_as_one_grouping_of_all_would(
    tmp_path, labelled_articles, split_seed
):
    articles, truth = labelled_articles
    rng = random.Random(split_seed)
    old = sorted(rng.sample(range(len(articles)), int(len(articles) * 0.7)))
    new = sorted(set(range(len(articles))) - set(old))
    cache = GroupCache(tmp_path / "groups.bin")
    find_stories([articles[at] for at in old], None, [], groups=cache)
    grouped = Recorded()
    grown = find_stories(articles, None, [], group_rows=grouped, groups=cache)  # in load order: old and new mixed
    assert grouped.calls == [(len(old), len(articles))], "only the new articles are queried"
    at_once, grouping = grouped_once([articles[at] for at in old + new], tmp_path / "at-once.bin")
    assert grown == at_once
    after = cache.read()
    assert after is not None
    assert_same_grouping(after.grouping, grouping)
    labels = story_labels([articles[at] for at in old + new], grown)
    precision, recall = pair_scores([truth[at] for at in old + new], labels)
    assert precision >= 0.95 and recall >= 0.9


@pytest.mark.parametrize("split_seed", [4, 5])
def test_articles_gone_or_changed_leave_their_stories_as_one_grouping_of_the_rest_would(tmp_path, split_seed):
    write_archive(tmp_path / "archive", with_copies(labelled_set(14)))
    articles = load(tmp_path / "archive")
    cache = GroupCache(tmp_path / "groups.bin")
    find_stories(articles, None, [], groups=cache)
    before = cache.read()
    assert before is not None
    rng = random.Random(split_seed)
    indexed = np.flatnonzero(before.grouping.indexed).tolist()
    first_gone = indexed[len(indexed) // 2]
    gone = set(rng.sample(np.flatnonzero(~before.grouping.indexed).tolist(), 5)) | {first_gone}
    changed = set(rng.sample(range(first_gone + 1, len(articles)), 3)) - gone
    for at in gone:
        Path(articles[at].path).unlink()
    for at in changed:  # a text edited is a new article: its fingerprint is another
        file = Path(articles[at].path)
        file.write_text(file.read_text("utf-8") + "\nДополнено редакцией.\n", "utf-8")
    now = load(tmp_path / "archive")
    grouped = Recorded()
    found = find_stories(now, None, [], group_rows=grouped, groups=cache)
    kept_rows = sum(1 for at in range(first_gone) if at not in gone and at not in changed)
    assert grouped.calls == [(kept_rows, len(now))], "the rows before the first indexed article gone are kept"
    assert all(articles[at].fingerprint not in found.story_of for at in gone | changed)
    here = {article.fingerprint: article for article in now}
    kept = [here[article.fingerprint] for article in articles if article.fingerprint in here]
    at_once, grouping = grouped_once(kept + [each for each in now if each not in kept], tmp_path / "at-once.bin")
    assert found == at_once
    after = cache.read()
    assert after is not None
    assert_same_grouping(after.grouping, grouping)


def test_copies_gone_cost_no_grouping_but_the_rest_of_a_grown_archive(tmp_path, labelled_articles):
    """A copy was never put in the index: the rows after it found nothing through it, and stay as they are."""
    articles, _ = labelled_articles
    cache = GroupCache(tmp_path / "groups.bin")
    find_stories(articles[:-10], None, [], groups=cache)
    before = cache.read()
    assert before is not None
    gone = set(np.flatnonzero(~before.grouping.indexed).tolist()[:4])
    now = [each for at, each in enumerate(articles) if at not in gone]
    grouped = Recorded()
    found = find_stories(now, None, [], group_rows=grouped, groups=cache)
    assert grouped.calls == [(len(articles) - 10 - len(gone), len(now))]
    assert found == grouped_once(now, tmp_path / "at-once.bin")[0]


def test_the_grouping_depends_on_the_order_but_not_its_precision_and_recall(labelled_articles):
    """What the cache guarantees is one grouping in the order it keeps; another order may pair other rows (which
    copy is indexed, which neighbours are kept) but tells the stories as well."""
    articles, truth = labelled_articles
    for seed in (7, 8):
        order = random.Random(seed).sample(range(len(articles)), len(articles))
        found = find_stories([articles[at] for at in order], None, [])
        precision, recall = pair_scores(
            [truth[at] for at in order], story_labels([articles[at] for at in order], found)
        )
        assert precision >= 0.95 and recall >= 0.9


def _damage(path, how: str) -> None:
    data = path.read_bytes()
    header_end = data.index(b"\n") + 1
    if how == "cut short":
        path.write_bytes(data[: header_end + 10])
    elif how == "wrong length":
        path.write_bytes(data[:-3])
    elif how == "checksum":
        at = len(data) - 40
        path.write_bytes(data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :])
    elif how == "not a story groups file":
        path.write_bytes(b"\x00garbage" * 100)
    elif how == "other parameters":
        path.write_bytes(data.replace(b"same=0.25", b"same=0.3", 1))


@pytest.mark.parametrize(
    "how", ["cut short", "wrong length", "checksum", "not a story groups file", "other parameters"]
)
def test_a_damaged_or_mismatched_group_cache_is_one_warning_and_is_grouped_again(tmp_path, how):
    write_archive(tmp_path / "archive", six_reports_each()[:12])
    articles = load(tmp_path / "archive")
    cache = GroupCache(tmp_path / "groups.bin")
    expected = find_stories(articles, None, [], groups=cache)
    _damage(cache.path, how)
    warnings: list[str] = []
    grouped = Recorded()
    assert find_stories(articles, None, warnings, group_rows=grouped, groups=cache) == expected
    reason = "written with other parameters" if how == "other parameters" else f"damaged ({how})"
    assert warnings == [f"{cache.path}: story groups {reason}; every article is grouped again"]
    assert grouped.calls == [(0, 12)]
    warnings.clear()
    assert find_stories(articles, None, warnings, group_rows=grouped, groups=cache) == expected
    assert warnings == [] and len(grouped.calls) == 1, "written anew, whole: read back without grouping"


def test_a_group_cache_that_does_not_hold_together_is_a_warning(tmp_path):
    write_archive(tmp_path / "archive", six_reports_each()[:6])
    articles = load(tmp_path / "archive")
    cache = GroupCache(tmp_path / "groups.bin")
    find_stories(articles, None, [], groups=cache)
    before = cache.read()
    assert before is not None
    backwards = dataclasses.replace(before.grouping, first=before.grouping.second, second=before.grouping.first)
    cache.write(dataclasses.replace(before, grouping=backwards))  # a whole file, checksum and all: pairs reversed
    warnings: list[str] = []
    assert len(find_stories(articles, None, warnings, groups=cache)) == 1
    assert warnings == [f"{cache.path}: story groups damaged (not consistent); every article is grouped again"]


def test_a_group_cache_that_cannot_be_written_is_a_warning(tmp_path):
    write_archive(tmp_path / "archive", six_reports_each()[:6])
    (tmp_path / "file").write_text("not a folder")
    cache = GroupCache(tmp_path / "file" / "groups.bin")
    warnings: list[str] = []
    assert len(find_stories(load(tmp_path / "archive"), None, warnings, groups=cache)) == 1
    [warning] = warnings
    assert warning.startswith(f"{cache.path}: story groups not saved (")


def test_a_cache_folder_that_cannot_be_written_is_one_warning_for_signatures_and_groups(tmp_path):
    write_archive(tmp_path / "archive", six_reports_each()[:6])
    (tmp_path / "file").write_text("not a folder")
    signatures = SignatureCache(tmp_path / "file" / "signatures.bin")
    groups = GroupCache(tmp_path / "file" / "groups.bin")
    warnings: list[str] = []
    assert len(find_stories(load(tmp_path / "archive"), signatures, warnings, groups=groups)) == 1
    [warning] = warnings
    assert warning.startswith(f"{signatures.path}: story signatures not saved (")
    assert warning.endswith("), nor the groups; the next start hashes again")
