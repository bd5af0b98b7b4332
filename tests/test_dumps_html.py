"""Saved HTML pages and RSS/Atom feeds: main text only, as plain text; scripts, styles and entities never
reach it; markup-like brackets stay literal; nothing is fetched."""

import datetime
import gzip
import socket
import subprocess
import sys
import zipfile

import pytest

from dumps import read, reasons
from newsreader.ingest.dumps import Limits, RecordProblem
from newsreader.ingest.dumps.markup import html_to_text

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Новость &amp; факты</title>
<meta property="article:published_time" content="2019-08-06T01:30:00+03:00">
<link rel="canonical" href="https://www.lenta.ru/news/2019/08/06/a/">
<style>body { color: red } .x::after { content: "STYLE-LEAK" }</style>
<script>document.write("SCRIPT-LEAK")</script></head>
<body><nav><a href="/">Главная</a> <a href="/news">Рубрики сайта</a></nav>
<article><h1>Новость &amp; факты</h1>
<p>Президент России провёл встречу в Москве.
Обсуждались вопросы экономики &amp; бюджета, &lt;b&gt; и &#171;кавычки&#187;.</p>
<script>alert("SCRIPT-LEAK")</script><style>p { content: "STYLE-LEAK" }</style>
<p>Разметка как текст: [/] и [@click=app.quit] и [bold]не жирно[/bold] остаются буквально в этом абзаце.</p>
<p>Третий абзац достаточно длинный, чтобы экстрактор счёл его основным текстом страницы, а не шумом.</p>
</article><footer>© Подвал сайта, все права защищены</footer></body></html>"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rss SYSTEM "http://feeds.invalid/rss.dtd">
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Лента.ру</title>
<link>https://lenta.ru</link>
<item><title>Первая &amp; новость</title><link>https://lenta.ru/news/2019/08/06/a/</link>
<pubDate>Tue, 06 Aug 2019 01:30:00 +0300</pubDate><dc:creator>Иван Петров</dc:creator>
<category>Политика</category><category>Общество</category>
<description><![CDATA[<p>Абзац <b>один</b> &amp; [/] [@click=app.quit]</p><script>alert("SCRIPT-LEAK")</script>
<style>p { content: "STYLE-LEAK" }</style><img src="http://tracker.invalid/pixel.gif">
<p>Абзац два &laquo;ёлки&raquo;</p>]]>
</description></item>
<item><title>Без даты</title><link>https://lenta.ru/news/2019/08/07/b/</link>
<description>Просто текст</description></item>
<item><title>Только заголовок</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Атом</title>
<entry><title type="html">&lt;b&gt;Жирный&lt;/b&gt; заголовок</title><link href="https://www.example.ru/x"/>
<updated>2020-01-02T23:30:00+03:00</updated><author><name>Анна</name></author><category term="Наука"/>
<content type="html">&lt;p&gt;Текст &amp;amp; ещё&lt;/p&gt;
&lt;script&gt;alert("SCRIPT-LEAK")&lt;/script&gt;</content></entry>
<entry><title>Второй</title><link href="https://www.example.ru/2020/01/03/y"/>
<content type="text">Текст как есть: &lt;b&gt; [/]</content></entry></feed>"""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a dump reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def assert_plain(text: str) -> None:
    assert "LEAK" not in text and "alert" not in text and "color: red" not in text
    assert "&amp;" not in text and "&laquo;" not in text and "<p>" not in text


def test_a_page_gives_its_main_text_title_date_and_source(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, "utf-8")
    (record,), problems = read(path)
    assert problems == []
    assert (record.row, record.title) == (1, "Новость & факты")
    assert record.text.startswith("Президент России")  # the <h1> that repeats the title is not text
    assert "Обсуждались вопросы экономики & бюджета, <b> и «кавычки»." in record.text
    assert "[/] и [@click=app.quit] и [bold]не жирно[/bold]" in record.text
    assert "Главная" not in record.text and "Подвал" not in record.text
    assert_plain(record.text)
    assert record.date == datetime.date(2019, 8, 6)
    assert record.url == "https://www.lenta.ru/news/2019/08/06/a/"
    assert record.outlet and "lenta.ru" in record.outlet


@pytest.mark.parametrize("charset", ['<meta charset="windows-1251">', ""])
def test_a_cp1251_page_with_or_without_its_charset(tmp_path, charset):
    body = "Президент России провёл встречу с министрами в Москве. " * 5
    page = f"<html><head>{charset}<title>Новость</title></head><body><article><p>{body}</p></article></body></html>"
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1251"))
    (record,), problems = read(path)
    assert (record.title, record.text) == ("Новость", body.strip())


def test_a_cp1251_feed_with_a_worded_date(tmp_path):
    feed = (
        '<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Вести</title>'
        "<item><title>Заголовок</title><description>Текст новости</description><pubDate>1 января 2010</pubDate></item>"
        "</channel></rss>"
    )
    path = tmp_path / "feed.rss"
    path.write_bytes(feed.encode("cp1251"))
    (record,), problems = read(path)
    assert (record.title, record.text, record.date, record.outlet) == (
        "Заголовок",
        "Текст новости",
        datetime.date(2010, 1, 1),
        "Вести",  # no link: the feed's title stands for the outlet
    )


def test_a_page_without_a_date_gets_none_not_today(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text("<html><body><article><p>" + "Текст без даты, но длинный. " * 10 + "</p></article></body></html>")
    (record,), problems = read(path)
    assert record.date is None and problems == []


@pytest.mark.parametrize("data", [b"", b"<html></html>", b"<html><body><script>alert(1)</script></body></html>"])
def test_a_page_with_no_main_text_is_a_problem(tmp_path, data):
    path = tmp_path / "page.html"
    path.write_bytes(data)
    records, problems = read(path)
    assert records == [] and reasons(problems) == [(None, "no main text found in the page")]


def test_a_page_over_the_document_cap_is_not_parsed(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE * 50, "utf-8")
    records, problems = read(path, limits=Limits(max_document_bytes=10_000))
    assert records == []
    assert reasons(problems) == [(None, "larger than 10,000 bytes: not read (a page or feed is parsed whole)")]


def test_a_library_failure_on_a_page_is_a_problem(tmp_path, monkeypatch):
    import trafilatura

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    path = tmp_path / "page.html"
    path.write_text(PAGE, "utf-8")
    assert read(path) == ([], [RecordProblem(None, None, "the page cannot be read: RuntimeError: boom")])


def test_an_rss_feed_gives_one_record_per_entry(tmp_path):
    path = tmp_path / "lenta.rss"
    path.write_text(RSS, "utf-8")
    records, problems = read(path)
    first, second = records
    assert (first.row, first.title) == (1, "Первая & новость")
    assert first.text == "Абзац один & [/] [@click=app.quit]\nАбзац два «ёлки»"
    assert first.date == datetime.date(2019, 8, 6)  # as the feed wrote it, not the UTC day (5 August)
    assert (first.url, first.outlet, first.authors, first.topics) == (
        "https://lenta.ru/news/2019/08/06/a/",
        "lenta.ru",
        ("Иван Петров",),
        ("Политика", "Общество"),
    )
    assert (second.row, second.text, second.date) == (2, "Просто текст", datetime.date(2019, 8, 7))
    assert reasons(problems) == [(3, "no text")]


def test_an_atom_feed_in_a_dot_xml_file(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(ATOM, "utf-8")
    (first, second), problems = read(path)
    assert problems == []
    assert (first.title, first.text, first.date) == ("Жирный заголовок", "Текст & ещё", datetime.date(2020, 1, 2))
    assert (first.outlet, first.authors, first.topics) == ("example.ru", ("Анна",), ("Наука",))
    assert second.text == "Текст как есть: <b> [/]"  # plain text content stays as written
    assert second.date == datetime.date(2020, 1, 3)


def test_a_feed_saved_as_html_is_read_as_a_feed(tmp_path):
    path = tmp_path / "feed.html"
    path.write_text(RSS, "utf-8")
    records, _ = read(path)
    assert [record.title for record in records] == ["Первая & новость", "Без даты"]


def test_a_compressed_feed_in_a_zip(tmp_path):
    path = tmp_path / "feeds.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a/lenta.rss.gz", gzip.compress(RSS.encode()))
        archive.writestr("page.html", PAGE)
    records, problems = read(path)
    assert [(record.member, record.row) for record in records] == [
        ("a/lenta.rss.gz", 1),
        ("a/lenta.rss.gz", 2),
        ("page.html", 1),
    ]
    assert [(problem.member, problem.row) for problem in problems] == [("a/lenta.rss.gz", 3)]


def test_a_cut_feed_keeps_its_entries_and_says_it_is_not_well_formed(tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(RSS[: RSS.index("<item><title>Без даты")], "utf-8")
    records, problems = read(path)
    assert [record.row for record in records] == [1]
    ((row, reason),) = reasons(problems)
    assert row is None and reason.startswith("not a well-formed feed") and reason.endswith("1 entry read")


@pytest.mark.parametrize("data", [b"<notafeed><x>1</x></notafeed>", b"", b"\x00\x01binary"])
def test_a_file_that_is_not_a_feed_is_one_problem(tmp_path, data):
    path = tmp_path / "feed.xml"
    path.write_bytes(data)
    records, problems = read(path)
    assert records == [] and len(problems) == 1 and problems[0].row is None


def test_html_to_text():
    fragment = (
        "<div>Один &amp; <b>два</b><br>три<script>x = '<p>LEAK</p>'</script><style>p{}</style></div>"
        "<p>&#171;четыре&#187; [/] [@click=app.quit]</p><!-- comment --><p>  пять   шесть </p>"
        "<svg><text>SVG-LEAK</text></svg><p>unclosed <script>never closed"
    )
    assert html_to_text(fragment) == "Один & два\nтри\n«четыре» [/] [@click=app.quit]\nпять шесть\nunclosed"


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>один</p><![foo[ два ]]><script>LEAK</script>", "один\n<![foo[ два ]]>"),  # html.parser asserts on it
        ("<![if !supportLists]>· <![endif]>пункт", "· пункт"),  # Word's conditional sections
        ("<!DOCTYPE x [ <!ENTITY a 'b'> ]><p>текст</p>", "текст"),
    ],
)
def test_declarations_that_html_parser_refuses_do_not_raise(fragment, expected):
    assert html_to_text(fragment).endswith(expected)


def test_the_libraries_are_imported_only_when_a_page_or_feed_is_met(tmp_path):
    """trafilatura costs ~150 ms to import and feedparser ~50 ms: a CSV dump never pays them."""
    path = tmp_path / "news.csv"
    path.write_text("title,text\nТ,Текст\n", "utf-8")
    code = (
        "import sys; from newsreader.ingest.dumps import iter_records;"
        f"records = list(iter_records({str(path)!r}));"
        "print(len(records), [name for name in ('trafilatura', 'feedparser', 'dateparser') if name in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "1 []"
