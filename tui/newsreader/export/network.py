"""The entity co-occurrence network for Gephi, as GraphML or GEXF.

Nodes are entities (id: the canonical key; label: the name the reader shows; type, mentions and
articles as attributes); an undirected edge joins two entities named in the same article, its
weight the number of articles they share. The counts are aggregated first (their size grows with
the entities and their pairs), then written element by element through an XML generator, which
escapes every name; characters XML 1.0 cannot hold at all become U+FFFD.
"""

import io
import re
from collections.abc import Iterable
from typing import IO, cast
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from newsreader.export.analyses import Analyses
from newsreader.export.entities import EntityNames, EntityTally
from newsreader.ingest.parse import Article

GRAPHML_NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
GEXF_NAMESPACE = "http://www.gexf.net/1.2draft"  # the version Gephi 0.8 on and networkx read and write
GEXF_VERSION = "1.2"
NODE_ATTRIBUTES = (("type", "string"), ("mentions", "int"), ("articles", "int"))
GEXF_TYPES = {"string": "string", "int": "integer"}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_graphml(out: IO[str], analyses: Analyses, articles: Iterable[Article], min_weight: int = 1) -> int:
    """The network as GraphML, its edges sharing at least `min_weight` articles; the number of entities (nodes)."""
    tally = EntityTally.of(analyses, articles, with_pairs=True)
    names = EntityNames(analyses)
    xml = _Writer(out)
    xml.open("graphml", {"xmlns": GRAPHML_NAMESPACE})
    xml.empty("key", {"id": "label", "for": "node", "attr.name": "label", "attr.type": "string"})
    for name, kind in NODE_ATTRIBUTES:
        xml.empty("key", {"id": name, "for": "node", "attr.name": name, "attr.type": kind})
    xml.empty("key", {"id": "weight", "for": "edge", "attr.name": "weight", "attr.type": "double"})
    xml.open("graph", {"id": "entities", "edgedefault": "undirected"})
    nodes = tally.nodes(min_weight)
    for key, counts in nodes:
        xml.open("node", {"id": key})
        for attribute, value in (("label", names(key)), *_attributes(key, counts)):
            xml.element("data", {"key": attribute}, value)
        xml.close("node")
    for number, (source, target, weight) in enumerate(tally.edges(min_weight)):
        xml.open("edge", {"id": f"e{number}", "source": source, "target": target})
        xml.element("data", {"key": "weight"}, str(weight))
        xml.close("edge")
    xml.close("graph")
    xml.close("graphml")
    xml.end()
    return len(nodes)


def write_gexf(out: IO[str], analyses: Analyses, articles: Iterable[Article], min_weight: int = 1) -> int:
    """The network as GEXF 1.2, its edges sharing at least `min_weight` articles; the number of entities (nodes)."""
    tally = EntityTally.of(analyses, articles, with_pairs=True)
    names = EntityNames(analyses)
    xml = _Writer(out)
    xml.open("gexf", {"xmlns": GEXF_NAMESPACE, "version": GEXF_VERSION})
    xml.open("meta", {})
    xml.element("creator", {}, "newsreader")
    xml.element("description", {}, "entities named in the same article")
    xml.close("meta")
    xml.open("graph", {"mode": "static", "defaultedgetype": "undirected"})
    xml.open("attributes", {"class": "node", "mode": "static"})
    for name, kind in NODE_ATTRIBUTES:
        xml.empty("attribute", {"id": name, "title": name, "type": GEXF_TYPES[kind]})
    xml.close("attributes")
    xml.open("nodes", {})
    nodes = tally.nodes(min_weight)
    for key, counts in nodes:
        xml.open("node", {"id": key, "label": names(key)})
        xml.open("attvalues", {})
        for attribute, value in _attributes(key, counts):
            xml.empty("attvalue", {"for": attribute, "value": value})
        xml.close("attvalues")
        xml.close("node")
    xml.close("nodes")
    xml.open("edges", {})
    for number, (source, target, weight) in enumerate(tally.edges(min_weight)):
        xml.empty("edge", {"id": str(number), "source": source, "target": target, "weight": str(weight)})
    xml.close("edges")
    xml.close("graph")
    xml.close("gexf")
    xml.end()
    return len(nodes)


def _attributes(key, counts) -> tuple[tuple[str, str], ...]:
    return (("type", key.partition(":")[0]), ("mentions", str(counts.mentions)), ("articles", str(counts.articles)))


class _Writer:
    """An XMLGenerator with one element a line, indented, and text made fit for XML first."""

    def __init__(self, out: IO[str]) -> None:
        # a text stream (a file opened for text, StringIO): the generator writes str to it as it is
        self._xml = XMLGenerator(cast(io.TextIOBase, out), encoding="utf-8", short_empty_elements=True)
        self._xml.startDocument()
        self._depth = 0

    def open(self, name: str, attributes: dict[str, str]) -> None:
        self._indent()
        self._xml.startElement(name, _clean_attributes(attributes))
        self._depth += 1

    def close(self, name: str) -> None:
        self._depth -= 1
        self._xml.ignorableWhitespace("\n" + "  " * self._depth)
        self._xml.endElement(name)

    def empty(self, name: str, attributes: dict[str, str]) -> None:
        self._indent()
        self._xml.startElement(name, _clean_attributes(attributes))
        self._xml.endElement(name)

    def element(self, name: str, attributes: dict[str, str], text: str) -> None:
        self._indent()
        self._xml.startElement(name, _clean_attributes(attributes))
        self._xml.characters(xml_text(text))
        self._xml.endElement(name)

    def end(self) -> None:
        self._xml.ignorableWhitespace("\n")
        self._xml.endDocument()

    def _indent(self) -> None:
        if self._depth:  # the root element follows the declaration's own line end
            self._xml.ignorableWhitespace("\n" + "  " * self._depth)


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 forbids (controls, lone surrogates, U+FFFE) replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _clean_attributes(attributes: dict[str, str]) -> AttributesImpl:
    return AttributesImpl({name: xml_text(value) for name, value in attributes.items()})
