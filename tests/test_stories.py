"""Stories across outlets: the grouping measured on a labelled set, its cache, `extract`'s story field."""

import json

import numpy as np
import pytest

from newsreader.ingest.parse import Article, iter_articles
from newsreader.store import stories
from newsreader.store.corpus import ArticleView
from newsreader.store.stories import CollapsedView, Stories, shingles
from newsreader.store.story_cache import SignatureCache, find_stories
from story_corpus import labelled_set, pair_scores, six_reports_each
from test_extract import run_cli


def write_archive(root, texts) -> None:
    """Each labelled text as a file in its outlet's folder, dated by its story's number."""
    for number, each in enumerate(texts):
        folder = root / f"{each.outlet}.ru" / "2024" / "05"
        folder.mkdir(parents=True, exist_ok=True)
        day = 1 + int(each.story.split("s")[-1])
        (folder / f"{number:03}.txt").write_text(f"date 2024-05-{day:02}\n{each.text()}\n", "utf-8")


def load(root) -> list[Article]:
    return [item for item in iter_articles([root]) if isinstance(item, Article)]


def story_labels(articles: list[Article], found: Stories) -> list[str]:
    return [found.story(article.fingerprint) for article in articles]


@pytest.mark.parametrize("seed", [14, 15, 16])
def test_the_labelled_set_is_grouped_with_high_precision_and_recall(tmp_path, capsys, seed):
    """Rewrites (synonyms, sentences dropped and added, a paraphrased lede), shuffled paragraphs and other
    headlines group with their story; other stories of the same topic, with the same names, do not."""
    texts = labelled_set(seed)
    write_archive(tmp_path, texts)
    articles = load(tmp_path)
    by_text = {each.text(): each.story for each in texts}
    truth = [by_text[article.text] for article in articles]
    warnings: list[str] = []
    found = find_stories(articles, None, warnings)
    precision, recall = pair_scores(truth, story_labels(articles, found))
    with capsys.disabled():
        counts = f"{len(texts)} texts, {len(set(truth))} stories"
        print(f"\nstories, seed {seed}: {counts}: precision {precision:.3f}, recall {recall:.3f}")
    assert warnings == []
    assert precision >= 0.95
    assert recall >= 0.9


def test_the_title_is_left_out_and_the_order_of_paragraphs_does_not_count():
    body = "Первый абзац о том, что случилось вчера в Москве.\n\nВторой абзац с подробностями и цифрами."
    shuffled = "\n\n".join(reversed(body.split("\n\n")))
    assert shingles(stories.body_of(f"Один заголовок\n\n{body}", "Один заголовок")) == shingles(shuffled)
    assert "один" not in b" ".join(shingles(stories.body_of(f"Один заголовок\n\n{body}", "Один заголовок"))).decode()


def test_a_body_too_short_to_tell_joins_no_story():
    matrix = stories.signatures(["Коротко.", "Коротко."])
    assert (matrix == stories.NO_SIGNATURE).all()
    assert stories.group(matrix) == []


def test_no_story_grows_past_its_cap_by_loose_matches_but_copies_always_join(monkeypatch):
    """Rewrites that chain into one another stop at MAX_STORY articles a story; copies of one text do not."""
    monkeypatch.setattr(stories, "MAX_STORY", 3)
    rewrites = [each.text() for each in six_reports_each()[:6]]  # one story, six outlets
    groups = stories.group(stories.signatures(rewrites))
    assert groups and max(map(len, groups)) <= 3
    copies = [f"{rewrites[0]}\n\nОбновлено {number}." for number in range(10)]
    assert stories.group(stories.signatures(copies)) == [list(range(10))]


def test_a_story_is_named_by_its_smallest_fingerprint_and_a_lone_article_by_its_own():
    found = Stories.of(["c", "a", "b", "d"], [[0, 1, 2]])
    assert {found.story(name) for name in "abc"} == {"a"}
    assert found.story("d") == "d"
    assert found.others("b") == ("a", "c") and found.others("d") == ()


def _counting(calls: list[int]):
    def hash_bodies(bodies: list[str]) -> np.ndarray:
        calls.append(len(bodies))
        return stories.signatures(bodies)

    return hash_bodies


def test_signatures_are_cached_so_a_warm_start_hashes_nothing_and_a_grown_archive_only_what_is_new(tmp_path):
    texts = six_reports_each()[:24]
    write_archive(tmp_path / "archive", texts[:18])
    cache = SignatureCache(tmp_path / "cache" / "signatures.bin")
    first_calls: list[int] = []
    first = find_stories(load(tmp_path / "archive"), cache, [], hash_bodies=_counting(first_calls))
    assert sum(first_calls) == 18
    warm_calls: list[int] = []
    warm = find_stories(load(tmp_path / "archive"), cache, [], hash_bodies=_counting(warm_calls))
    assert warm_calls == [] and warm == first
    write_archive(tmp_path / "archive", texts)  # six more files
    grown_calls: list[int] = []
    grown = find_stories(load(tmp_path / "archive"), cache, [], hash_bodies=_counting(grown_calls))
    assert sum(grown_calls) == 6
    assert len(grown) == 4 and all(len(members) == 6 for members in grown.members.values())


def test_a_damaged_cache_is_a_warning_naming_it_and_the_stories_are_found_all_the_same(tmp_path):
    write_archive(tmp_path / "archive", six_reports_each()[:12])
    articles = load(tmp_path / "archive")
    cache = SignatureCache(tmp_path / "signatures.bin")
    expected = find_stories(articles, cache, [])
    cache.path.write_bytes(cache.path.read_bytes()[:-10])
    warnings: list[str] = []
    assert find_stories(articles, cache, warnings) == expected
    assert warnings == [f"{cache.path}: story signatures damaged (wrong length); every article is hashed again"]
    assert find_stories(articles, cache, []) == expected  # written anew, whole


def test_a_cache_that_cannot_be_written_is_a_warning(tmp_path):
    write_archive(tmp_path / "archive", six_reports_each()[:12])
    (tmp_path / "file").write_text("not a folder")
    cache = SignatureCache(tmp_path / "file" / "signatures.bin")
    warnings: list[str] = []
    found = find_stories(load(tmp_path / "archive"), cache, warnings)
    assert len(found) == 2
    [warning] = warnings
    assert warning.startswith(f"{cache.path}: story signatures not saved (")
    assert not list(tmp_path.glob("**/*.partial"))


def test_a_cache_written_with_other_parameters_is_hashed_again(tmp_path, monkeypatch):
    write_archive(tmp_path / "archive", six_reports_each()[:6])
    cache = SignatureCache(tmp_path / "signatures.bin")
    find_stories(load(tmp_path / "archive"), cache, [])
    monkeypatch.setattr(SignatureCache, "FORMAT", SignatureCache.FORMAT + 1)
    calls: list[int] = []
    find_stories(load(tmp_path / "archive"), cache, [], hash_bodies=_counting(calls))
    assert sum(calls) == 6


def test_a_collapsed_view_shows_each_story_once_with_its_count(tmp_path):
    write_archive(tmp_path, six_reports_each()[:12] + six_reports_each()[-1:])
    articles = load(tmp_path)
    found = find_stories(articles, None, [])
    view = CollapsedView(ArticleView(articles), found)
    assert len(view) == 3
    assert sorted(view.reports(index) for index in range(3)) == [1, 6, 6]
    for article in articles:  # a left-out article is found at its story's row
        row = view.position(article.id)
        assert row is not None and found.story(view[row].fingerprint) == found.story(article.fingerprint)


def test_extract_gives_every_article_its_story(tmp_path):
    texts = six_reports_each()
    write_archive(tmp_path, texts[:3] + texts[-1:])  # three of one story, one of another
    result = run_cli("extract", str(tmp_path))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    by_outlet = {record["id"].split("/")[0]: record["story"] for record in records}
    assert by_outlet["outlet0.ru"] == by_outlet["outlet1.ru"] == by_outlet["outlet2.ru"]
    assert by_outlet["outlet5.ru"] != by_outlet["outlet0.ru"]
    assert all(isinstance(record["story"], str) and len(record["story"]) == 32 for record in records)


def test_the_band_index_is_datasketchs_lsh_tuned_for_the_threshold():
    """Its bands are MinHashLSH's for LSH_THRESHOLD, and it proposes the rows MinHashLSH proposes."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=stories.LSH_THRESHOLD, num_perm=stories.NUM_PERM)
    assert (lsh.b, lsh.r) == (stories.BANDS, stories.BAND_ROWS)
    texts = [each.text() for each in labelled_set(14)]
    matrix = stories.signatures(texts + [f"{text}\n\nОбновлено." for text in texts[:20]])
    index, probe, proposed = stories.BandIndex(), MinHash(num_perm=stories.NUM_PERM, seed=stories.SEED), 0
    for row, signature in enumerate(matrix):
        probe.hashvalues = signature.astype(np.uint64)
        expected = set(lsh.query(probe))
        assert index.query(signature) == expected
        proposed += len(expected)
        lsh.insert(row, probe, check_duplication=False)
        index.insert(row, signature)
    assert proposed > len(matrix), "rows of one story share bands"
