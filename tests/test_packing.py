"""Analysis results packed as integer arrays come back exactly, their strings stored once."""

from newsreader.nlp.dates import DateMention
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.nlp.events import Event
from newsreader.store.packing import StringTable, pack, unpack

TEXT = "Песков заявил 5 мая, что Дмитрий Песков встретится с мэром когда-нибудь."


def enrichment() -> Enrichment:
    peskov = TEXT.index("Песков", 10)
    return Enrichment(
        entities=(
            EntityMention(0, 6, "PER", "Песков", "Песков", "PER:дмитрий песков"),
            EntityMention(peskov - 8, peskov + 6, "PER", "Дмитрий Песков", "Дмитрий Песков", "PER:дмитрий песков"),
        ),
        dates=(
            DateMention(14, 19, "5 мая", "2025-05-05", "day"),
            DateMention(TEXT.index("когда"), len(TEXT) - 1, "когда-нибудь", None, "unknown"),
        ),
        events=(Event("2025-05-05", "day", 14, 19, 0, len(TEXT), ("PER:дмитрий песков", "LOC:москва")),),
    )


def test_unpack_gives_back_what_was_packed():
    strings = StringTable()
    assert unpack(pack(enrichment(), strings), TEXT, strings) == enrichment()


def test_equal_strings_are_stored_once():
    strings = StringTable()
    first, second = pack(enrichment(), strings), pack(enrichment(), strings)
    assert first == second
    key = "".join(["PER:дмитрий ", "песков"])  # an equal string, not the same object
    assert strings.intern(key) is strings.intern("PER:дмитрий песков")
