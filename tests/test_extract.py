import json
import subprocess
import sys

from newsreader.cli.main import main

SCHEMA = {"id", "path", "date", "title", "lede", "credit", "encoding", "text", "entities", "dates", "roles", "quotes"}


ZAKHAROVA = "PER:мария захарова"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsreader", *args], capture_output=True, text=True, timeout=120)


def test_extract_seed_schema(seeds_dir):
    result = run_cli("extract", str(seeds_dir))
    assert result.returncode == 0
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert SCHEMA <= set(record)
    assert record["id"] == "000_f43e71b30eac417d.txt"
    assert record["date"] == "2025-11-21"
    assert record["credit"] == "Konstantin Kokoshkin/Global Look Press"
    assert record["encoding"] == "utf-8"
    for entity in record["entities"]:
        assert record["text"][entity["start"] : entity["end"]] == entity["text"]
    for date in record["dates"]:
        assert record["text"][date["start"] : date["end"]] == date["text"]


def test_extract_gives_roles_and_quotes_with_their_spans(seeds_dir):
    [record] = [json.loads(line) for line in run_cli("extract", str(seeds_dir)).stdout.splitlines()]
    text = record["text"]
    roles = {(role["text"], role["role"], role["key"], role["kind"]) for role in record["roles"]}
    assert ("официальный представитель МИД РФ", "официальный представитель МИД РФ", ZAKHAROVA, "title") in roles
    deputy = ("Заместитель главы МИД России", "заместитель главы МИД России", "PER:михаил галузин", "title")
    assert deputy in roles and ("посол Азербайджана" in {role for _, role, _, _ in roles})
    for item in record["roles"] + record["quotes"]:
        assert text[item["start"] : item["end"]] == item["text"]
    zakharova = [entity for entity in record["entities"] if entity["key"] == ZAKHAROVA]
    assert zakharova and all(entity["roles"] == ["официальный представитель МИД РФ"] for entity in zakharova)
    assert all(entity["roles"] == [] for entity in record["entities"] if entity["type"] != "PER")
    [quote] = [quote for quote in record["quotes"] if quote["key"] == ZAKHAROVA]
    assert quote["kind"] == "reported"
    assert quote["text"].startswith("Россия и Азербайджан ведут предметный диалог")
    sentence = text[quote["sentence_start"] : quote["sentence_end"]]
    assert "Мария Захарова заявила, что" in sentence and quote["text"] in sentence


def test_extract_hostile_folder_exits_zero_with_warnings_on_stderr(hostile_dir):
    result = run_cli("extract", str(hostile_dir))
    assert result.returncode == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    ids = [record["id"] for record in records]
    assert "good.txt" in ids and "cp1251.txt" in ids
    assert len(ids) == len(set(ids))
    assert "link_in.txt" not in ids, "a symlink to good.txt is the same text: one article"
    stderr_lines = result.stderr.splitlines()
    assert any(line.endswith("fifo.txt: not a regular file (FIFO)") for line in stderr_lines)
    assert any("sparse.txt: too large" in line for line in stderr_lines)
    assert "\x1b" not in result.stderr and "\x1b" not in result.stdout
    by_id = {record["id"]: record for record in records}
    assert by_id["bad_header.txt"]["date"] is None
    assert by_id["markup.txt"]["title"] == "[bold]Жирный[/] [@click=app.quit]выход[/]"


def test_extract_keeps_load_order(hostile_dir):
    records = [json.loads(line) for line in run_cli("extract", str(hostile_dir)).stdout.splitlines()]
    ids = [record["id"] for record in records]
    assert ids.index("bad_header.txt") < ids.index("good.txt") < ids.index("2025/03/deep.txt")


def test_missing_path_exits_2(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "missing")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_bad_usage_exits_2():
    result = run_cli("extract")
    assert result.returncode == 2
    assert "usage" in result.stderr


def test_search_command_line(seeds_dir, tmp_path):
    result = run_cli("search", "россиянин", str(seeds_dir))
    assert result.returncode == 0
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"id", "path", "date", "title", "score", "matches"} <= set(record)
    extracted = json.loads(run_cli("extract", str(seeds_dir)).stdout)
    assert len(record["matches"]) >= 3
    for match in record["matches"]:
        assert extracted["text"][match["start"] : match["end"]] == match["text"]
    assert run_cli("search", "россиянин", str(tmp_path / "missing")).returncode == 2


def test_extract_whose_analysis_dies_says_so_instead_of_waiting_for_ever(seeds_dir, capsys, monkeypatch):
    def dies(*args, **kwargs):  # the analysis thread's first step: opening the disk cache
        raise MemoryError("no room")

    monkeypatch.setattr("newsreader.nlp.service.EnrichmentCache", dies)
    assert main(["extract", str(seeds_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "enrichment stopped: MemoryError: no room" in err
    assert "newsreader extract: analysis stopped with 0 of 1 articles done" in err


def test_a_long_analysis_shows_its_progress_on_stderr_and_a_short_one_does_not(seeds_dir, capsys, monkeypatch):
    """`search per:…` or `extract` on an archive never analysed takes minutes: stderr says how far it is."""
    with monkeypatch.context() as patched:
        patched.setattr("newsreader.cli.extract.QUIET_SECONDS", 0.0)
        assert main(["extract", str(seeds_dir)]) == 0
    err = capsys.readouterr().err
    assert "analysing [" in err and "/1 " in err
    assert main(["extract", str(seeds_dir)]) == 0
    assert "analysing" not in capsys.readouterr().err, "from the cache, at once: no line"
