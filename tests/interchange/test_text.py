from __future__ import annotations

import pytest

from gilde.interchange.errors import UnreadableFile
from gilde.interchange.text import decode, sniff_delimiter


def test_utf8_with_bom_is_recognised() -> None:
    assert decode("\ufeffNaam\nJosé\n".encode(), filename="a.csv") == ("Naam\nJosé\n", "utf-8-sig")


def test_utf8_without_bom_is_recognised() -> None:
    assert decode("Naam\nRenée\n".encode(), filename="a.csv")[1] == "utf-8"


def test_dutch_excel_windows_1252_is_recognised() -> None:
    text, encoding = decode("Naam\nRenée Ëlsen ’t\n".encode("cp1252"), filename="a.csv")
    assert encoding == "cp1252"
    assert "Renée Ëlsen ’t" in text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_recognised(codec: str) -> None:
    bom = "\ufeff".encode(codec)
    text, encoding = decode(bom + "Naam\tPlaats\nÖzdemir\tDen Haag\n".encode(codec), filename="a")
    assert encoding == "utf-16"
    assert text.startswith("Naam\tPlaats")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"  \r\n\r\n", "empty_file"),
        (b"\xef\xbb\xbf", "empty_file"),
        (b"Naam\x00\x01\x02\x03binary", "binary_file"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary_file"),
        (b"%PDF-1.7\n", "binary_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "binary_file"),
        (b"PK\x03\x04rest", "spreadsheet_file"),
        (b"<!DOCTYPE html><html><body>Login</body></html>", "html_file"),
        (b"\n  <html lang='nl'><head>", "html_file"),
    ],
)
def test_files_that_are_not_text_are_refused(data: bytes, code: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        decode(data, filename="export.csv")
    assert caught.value.code == code
    assert "export.csv" in str(caught.value)


def test_semicolon_wins_over_unquoted_commas_in_addresses() -> None:
    text = "Naam;Adres;Plaats\nJan;Kerkstraat 1, Utrecht;Utrecht\nPiet;Markt 2;Ede\n"
    assert sniff_delimiter(text) == ";"


def test_commas_inside_quotes_do_not_count() -> None:
    text = 'Naam,Bedrijf\n"Berg; Jan",Acme\n"Vries; Piet","A; B; C"\n'
    assert sniff_delimiter(text) == ","


def test_tab_is_detected() -> None:
    assert sniff_delimiter("Naam\tE-mail\nJan\tjan@x.nl\n") == "\t"


def test_notes_paragraph_above_the_header_does_not_confuse_the_sniffer() -> None:
    text = 'Notes:\n"Some, text; with, commas"\n\nFirst Name,Last Name\nJan,Berg\n'
    assert sniff_delimiter(text) == ","
