import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsreader.userdata.keymap as keymap_module
from newsreader.userdata.keymap import MAX_KEYS_PER_BINDING, MAX_WARNINGS, keymap_path, load_keymap


@pytest.fixture
def path(tmp_path):
    return tmp_path / "keymap.toml"


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def assert_safe(warning: str) -> None:
    assert warning.isprintable(), repr(warning)


def test_default_file_lives_in_the_user_config_folder(isolated_user_dirs):
    assert keymap_path() == isolated_user_dirs / "xdg_config_home" / "newsreader" / "keymap.toml"
    assert load_keymap() == ({}, [])


def test_missing_file_is_no_remapping(path):
    assert load_keymap(path) == ({}, [])


def test_valid_file_is_read_and_normalised(path):
    write(
        path,
        """
# keys are binding ids; values are Textual key lists, comma-separated
[keys]
"list.down" = "down,j,ctrl+n"
"app.quit" = "q, ctrl+q"
reader.page_down = "space,pagedown"
"list.open" = "о"
""",
    )
    assert load_keymap(path) == (
        {"list.down": "down,j,ctrl+n", "app.quit": "q,ctrl+q", "reader.page_down": "space,pagedown", "list.open": "о"},
        [],
    )


@pytest.mark.parametrize("text", ["", "# nothing remapped yet\n", "[keys]\n"])
def test_empty_file_is_no_remapping(path, text):
    assert load_keymap(write(path, text)) == ({}, [])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[keys]\n"list.down" = "j', "invalid TOML"),
        ('[keys]\n"list.down" = "j"\n"list.down" = "k"\n', "invalid TOML"),
        ("a = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
        ('keys = "down,j"\n', "keys must be a table, not str"),
        ('keys = ["down", "j"]\n', "keys must be a table, not list"),
        ('[bindings]\n"list.down" = "j"\n', "only a [keys] table is expected, found ['bindings']"),
        ('"list.down" = "j"\n', "only a [keys] table is expected"),
    ],
)
def test_unusable_file_is_ignored_with_one_specific_warning(path, text, problem):
    keymap, warnings = load_keymap(write(path, text))
    assert keymap == {}
    assert len(warnings) == 1 and str(path) in warnings[0] and problem in warnings[0]


def test_non_utf8_file_is_ignored_with_a_warning(path):
    path.write_bytes('[keys]\n"list.down" = "й"\n'.encode("cp1251"))
    assert load_keymap(path) == ({}, [f"{path}: keymap ignored: not UTF-8 text"])


def test_folder_instead_of_file_is_ignored_with_a_warning(path):
    path.mkdir()
    assert load_keymap(path) == ({}, [f"{path}: keymap ignored: not a regular file"])


@pytest.mark.parametrize(
    ("failing", "error"),
    [
        ("open", PermissionError(13, "Permission denied")),
        ("read", OSError(5, "Input/output error")),
    ],
)
def test_unreadable_file_is_ignored_with_a_warning(path, monkeypatch, failing, error):
    write(path, '[keys]\n"list.down" = "j"\n')

    def fail(*args):
        raise error

    monkeypatch.setattr(keymap_module.os, failing, fail)
    assert load_keymap(path) == ({}, [f"{path}: keymap ignored: cannot read it ({error.strerror})"])


def test_config_folder_that_is_a_file_is_a_warning(tmp_path):
    (tmp_path / "newsreader").write_text("not a folder")
    path = tmp_path / "newsreader" / "keymap.toml"
    assert load_keymap(path) == ({}, [f"{path}: keymap ignored: cannot read it (Not a directory)"])


def test_symlink_loop_is_a_warning(path):
    path.symlink_to(path)
    keymap, [warning] = load_keymap(path)
    assert keymap == {} and "cannot read it (Too many levels of symbolic links)" in warning


def test_fifo_is_a_warning_not_a_hang(path):
    os.mkfifo(path)
    assert load_keymap(path) == ({}, [f"{path}: keymap ignored: not a regular file"])


def test_a_byte_order_mark_is_allowed(path):
    path.write_bytes(b"\xef\xbb\xbf" + b'[keys]\n"list.down" = "j"\n')
    assert load_keymap(path) == ({"list.down": "j"}, [])


def test_huge_file_is_not_parsed(path):
    write(path, "# " + "x" * (2 * 1024 * 1024) + "\n")
    keymap, [warning] = load_keymap(path)
    assert keymap == {} and "larger than" in warning


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('"list.down" = 3', "skipped list.down: 3 is not"),
        (
            '"list.down" = ["down", "j"]',
            "skipped list.down: ['down', 'j'] is a list; write the keys as one string, 'down,j'",
        ),
        ('"list.down" = 1.5', "skipped list.down: 1.5 is not"),
        ('"list.down" = 2025-10-25', "skipped list.down: datetime.date(2025, 10, 25) is not"),
        ('"list.down" = "ctlr+n"', "'ctlr+n' is not a comma-separated list of key names"),
        ('"list.down" = "j,ctrl+"', "('ctrl+' is not a key name)"),
        ('"list.down" = "Down"', "'Down' is not"),
        ('"list.down" = "ctrl+down up"', "'ctrl+down up' is not"),
        ('"list.down" = "' + ",".join("abcdefghij") + '"', f"10 keys; at most {MAX_KEYS_PER_BINDING} per binding"),
        ('"list.down" = true', "skipped list.down: True is not"),
        ('"list.down" = ""', "skipped list.down: '' is not"),
        ('"list.down" = "down,,j"', "is not a comma-separated list of key names"),
        ('"list.down" = "ctrl + n"', "skipped list.down: 'ctrl + n' is not"),
        ('"list.down" = "down,"', "is not a comma-separated list of key names"),
        ('"down" = "j"', "skipped 'down': a binding id looks like area.action"),
        ('"List.Down" = "j"', "skipped 'List.Down': a binding id"),
        ('"list. down" = "j"', "skipped 'list. down': a binding id"),
        ('"list.down" = "j"\nlist.down = "k"', "skipped list.down: defined twice"),
    ],
)
def test_bad_entry_is_skipped_and_good_ones_kept(path, entry, problem):
    keymap, warnings = load_keymap(write(path, f'[keys]\n"app.quit" = "q"\n{entry}\n'))
    assert keymap.get("app.quit") == "q" and keymap.get("list.down") in (None, "j")
    assert len(warnings) == 1 and str(path) in warnings[0] and problem in warnings[0], warnings


def toml_string(text: str) -> str:
    """A TOML basic string spelling every unprintable character as an escape, as a hostile file would."""
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text) + '"'


HOSTILE = [
    "\x1b[31mred\x1b[0m",
    "\x1b]0;owned\x07",
    "\x9b2J",
    "a\u202eb",
    "line\nbreak",
    "\x1b]8;;http://evil\x1b\\link",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_value_or_id_never_reaches_a_warning_raw(path, hostile):
    quoted = toml_string(hostile)
    keymap, warnings = load_keymap(write(path, f'[keys]\n"list.down" = {quoted}\n{quoted} = "j"\n'))
    assert keymap == {} and len(warnings) == 2
    for warning in warnings:
        assert_safe(warning)
        assert hostile not in warning


@pytest.mark.parametrize("hostile", HOSTILE)
def test_raw_hostile_characters_in_the_file_make_one_sanitised_warning(path, hostile):
    keymap, [warning] = load_keymap(write(path, f'[keys]\n"list.down" = "{hostile}"\n'))
    assert keymap == {} and ("invalid TOML" in warning or "skipped list.down" in warning)
    assert_safe(warning)


def test_hostile_file_name_is_sanitised(tmp_path):
    path = write(tmp_path / "key\x1b[2Jmap.toml", "not toml = = =")
    _, [warning] = load_keymap(path)
    assert "invalid TOML" in warning and "map.toml" in warning
    assert_safe(warning)


def test_long_value_is_shortened_in_the_warning(path):
    _, [warning] = load_keymap(write(path, f'[keys]\n"list.down" = "{"x " * 10_000}"\n'))
    assert "…" in warning and len(warning) < len(str(path)) + 200


@pytest.mark.parametrize(
    ("value", "keys"),
    [
        ("ctrl+shift+up", "ctrl+shift+up"),
        ("f12", "f12"),
        ("question_mark", "question_mark"),
        ("о", "о"),
        ("G, shift+tab", "G,shift+tab"),
        ("ctrl++", "ctrl++"),
        ("j, j,down", "j,down"),
        ("alt+ё", "alt+ё"),
    ],
)
def test_textual_key_names_are_accepted(path, value, keys):
    assert load_keymap(write(path, f'[keys]\n"list.down" = "{value}"\n')) == ({"list.down": keys}, [])


def test_unknown_ids_are_reported_when_the_known_ids_are_given(path):
    write(path, '[keys]\n"list.down" = "j"\n"list.donw" = "k"\n')
    keymap, [warning] = load_keymap(path, known_ids={"list.down", "list.up"})
    assert keymap == {"list.down": "j"}
    assert warning == f"{path}: skipped list.donw: no binding has this id (? lists them)"


def test_thousands_of_bad_entries_make_a_few_warnings_and_a_count(path):
    entries = [f'"list.k{index}" = {index}' for index in range(5000)] + ['"list.down" = "j"']
    keymap, warnings = load_keymap(write(path, "[keys]\n" + "\n".join(entries) + "\n"))
    assert keymap == {"list.down": "j"} and len(warnings) == MAX_WARNINGS
    assert warnings[-1] == f"{path}: and {5000 - MAX_WARNINGS + 1} more problems in the keymap"


def test_thousands_of_unknown_ids_make_a_few_warnings(path):
    entries = [f'"area{index}.action" = "j"' for index in range(20_000)]
    keymap, warnings = load_keymap(write(path, "[keys]\n" + "\n".join(entries) + "\n"), known_ids={"list.down"})
    assert keymap == {} and len(warnings) == MAX_WARNINGS and "19996 more problems" in warnings[-1]


def test_nested_tables_name_bindings_and_deep_nesting_is_one_warning(path):
    assert load_keymap(write(path, '[keys.list]\ndown = "j"\n[keys.reader]\nup = "k"\n')) == (
        {"list.down": "j", "reader.up": "k"},
        [],
    )
    keymap, warnings = load_keymap(write(path, "[keys]\n" + "a." * 3000 + 'b = "j"\n'), known_ids={"list.down"})
    assert keymap == {} and len(warnings) == 1
    assert_safe(warnings[0]) and len(warnings[0]) < len(str(path)) + 200


def test_a_long_unknown_id_is_shortened_in_the_warning(path):
    _, [warning] = load_keymap(write(path, f'[keys]\n"list.{"x" * 5000}" = "j"\n'), known_ids={"list.down"})
    assert "…" in warning and len(warning) < len(str(path)) + 200


def test_an_inline_table_value_is_a_nested_binding_id(path):
    keymap, [warning] = load_keymap(write(path, '[keys]\n"list.down" = { key = "j" }\n'), known_ids={"list.down"})
    assert keymap == {} and "list.down.key: no binding has this id" in warning


KEYMAP_PIECES = [
    "[keys]\n",
    "[keys.list]\n",
    '"list.down"',
    "list.down",
    "app.quit",
    " = ",
    '"j"',
    '"ctrl+n, G"',
    "3",
    "true",
    "[",
    "]",
    "{",
    "}",
    '"',
    "'",
    ",",
    ".",
    "\n",
    "#",
    "\x00",
    "\x1b[31m",
    "\ud800",
    "😀",
    "\ufeff",
    "\\u0000",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(KEYMAP_PIECES), st.text(max_size=5)), max_size=30).map("".join)
    | st.binary(max_size=64)
)
def test_any_file_gives_bindings_and_a_few_clean_warnings(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("keymap") / "keymap.toml"
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    path.write_bytes(content)
    keymap, warnings = load_keymap(path, known_ids={"list.down", "app.quit"})
    assert set(keymap) <= {"list.down", "app.quit"} and len(warnings) <= MAX_WARNINGS
    assert all(str(path) in warning for warning in warnings)
    for warning in warnings:
        assert_safe(warning)


@pytest.mark.parametrize("entry", ['"app.quit" = "ctrl+p"', '"app.help" = "ctrl+p"', '"list.down" = "j,ctrl+q"'])
def test_no_entry_can_take_the_quit_or_palette_key(path, entry):
    keymap, [warning] = load_keymap(write(path, f"[keys]\n{entry}\n"))
    assert keymap == {} and "so no keymap can lock you out" in warning


def test_quit_may_keep_its_own_key(path):
    keymap, warnings = load_keymap(write(path, '[keys]\n"app.quit" = "q,ctrl+q"\n'))
    assert keymap == {"app.quit": "q,ctrl+q"} and warnings == []
