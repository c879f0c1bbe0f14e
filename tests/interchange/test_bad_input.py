from __future__ import annotations

import io
import struct
import zipfile

import openpyxl
import pytest

from gilde.interchange import (
    ImportFileError,
    ImportLimits,
    LimitExceeded,
    MalformedFile,
    NoNameColumn,
    UnreadableFile,
    parse_auto,
    parse_csv,
    parse_linkedin_zip,
    parse_vcard,
    parse_xlsx,
)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_binary_file_renamed_to_csv() -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse_csv(bytes(range(256)) * 4, filename="contacten.csv")
    assert caught.value.code == "binary_file"
    assert str(caught.value).startswith("contacten.csv: ")


def test_an_html_page_renamed_to_csv() -> None:
    page = b"<!DOCTYPE html>\n<html><head><title>Inloggen</title></head><body></body></html>"
    with pytest.raises(UnreadableFile) as caught:
        parse_auto(page, filename="export.csv")
    assert caught.value.code == "html_file"


def test_an_empty_file() -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse_auto(b"", filename="leeg.csv")
    assert caught.value.code == "empty_file"


def test_a_file_without_a_name_column_lists_the_columns_it_found() -> None:
    with pytest.raises(NoNameColumn) as caught:
        parse_csv(b"Kleur;Maat\nrood;L\n", filename="x.csv")
    assert caught.value.code == "no_name_column"
    assert caught.value.params["columns"] == ["Kleur", "Maat"]
    assert "Kleur" in caught.value.message


def test_unbalanced_quotes_name_the_line_where_the_quote_opens() -> None:
    data = b'Naam,E-mail\nJan,jan@x.nl\n"Piet,piet@x.nl\nKlaas,k@x.nl\n'
    with pytest.raises(MalformedFile) as caught:
        parse_csv(data, filename="x.csv")
    assert (caught.value.code, caught.value.line) == ("unbalanced_quotes", 3)
    assert "x.csv, line 3" in str(caught.value)


def test_a_stray_quote_after_a_quoted_field() -> None:
    with pytest.raises(MalformedFile) as caught:
        parse_csv(b'Naam,Plaats\n"Jan"x,Ede\n', filename="x.csv")
    assert (caught.value.code, caught.value.line) == ("unbalanced_quotes", 2)


def test_a_row_with_ten_thousand_columns() -> None:
    data = b"Naam,E-mail\nJan," + b",x" * 10_000 + b"\n"
    with pytest.raises(LimitExceeded) as caught:
        parse_csv(data, filename="x.csv")
    assert (caught.value.code, caught.value.line) == ("too_many_columns", 2)
    assert caught.value.params["columns"] == 10_002


def test_trailing_empty_cells_do_not_count_as_columns() -> None:
    data = b"Naam;E-mail" + b";" * 1000 + b"\nJan;jan@x.nl" + b";" * 1000 + b"\n"
    assert len(parse_csv(data, filename="x.csv").records) == 1


def test_a_file_over_the_size_limit_is_refused_before_reading() -> None:
    limits = ImportLimits(max_bytes=1000)
    with pytest.raises(LimitExceeded) as caught:
        parse_auto(b"Naam\n" + b"Jan Berg\n" * 200, filename="groot.csv", limits=limits)
    assert caught.value.code == "file_too_large"
    assert caught.value.params == {"size": 1805, "limit": 1000}


def test_too_many_rows() -> None:
    data = b"Naam\n" + b"Jan Berg\n" * 11
    with pytest.raises(LimitExceeded) as caught:
        parse_csv(data, filename="x.csv", limits=ImportLimits(max_rows=10))
    assert (caught.value.code, caught.value.line) == ("too_many_rows", 12)


def test_a_cell_over_the_limit() -> None:
    data = b"Naam,Notities\nJan Berg," + b"x" * 2000 + b"\n"
    with pytest.raises(LimitExceeded) as caught:
        parse_csv(data, filename="x.csv", limits=ImportLimits(max_cell_chars=1000))
    assert caught.value.code == "cell_too_large"


def test_a_zip_bomb_is_refused_from_its_declared_sizes() -> None:
    bomb = zipped({"Connections.csv": b"First Name,Last Name\n" + b"\0" * 5_000_000})
    with pytest.raises(LimitExceeded) as caught:
        parse_linkedin_zip(bomb, filename="bom.zip")
    assert caught.value.code == "zip_bomb"


def test_a_zip_that_lies_about_its_sizes_is_still_refused() -> None:
    bomb = bytearray(zipped({"Connections.csv": b"First Name,Last Name\n" + b"a" * 3_000_000}))
    # Overwrite the uncompressed size in the central directory and the local header with 10.
    central = bomb.rfind(b"PK\x01\x02")
    bomb[central + 24 : central + 28] = struct.pack("<I", 10)
    bomb[22:26] = struct.pack("<I", 10)
    with pytest.raises(ImportFileError) as caught:
        parse_linkedin_zip(bytes(bomb), filename="bom.zip")
    assert caught.value.code in {"zip_bomb", "bad_zip"}


def test_an_xlsx_zip_bomb_is_refused() -> None:
    bomb = zipped({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b" " * 5_000_000})
    with pytest.raises(LimitExceeded) as caught:
        parse_auto(bomb, filename="bom.xlsx")
    assert caught.value.code == "zip_bomb"


def test_a_zip_without_connections_csv() -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse_linkedin_zip(zipped({"Profile.csv": b"a,b\n"}), filename="linkedin.zip")
    assert caught.value.code == "no_connections_csv"


def test_a_damaged_zip() -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse_linkedin_zip(b"PK\x03\x04 not really a zip", filename="linkedin.zip")
    assert caught.value.code == "bad_zip"


def test_a_zip_that_is_no_workbook() -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse_xlsx(zipped({"a.txt": b"hallo"}), filename="relaties.xlsx")
    assert caught.value.code == "bad_xlsx"


def test_an_xlsx_row_with_ten_thousand_columns() -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Naam", "E-mail"])
    sheet.append(["Jan Berg", *["x"] * 10_000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(LimitExceeded) as caught:
        parse_xlsx(buffer.getvalue(), filename="breed.xlsx")
    assert (caught.value.code, caught.value.line) == ("too_many_columns", 2)


def test_a_vcard_file_without_cards() -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse_vcard(b"Naam: Jan\n", filename="a.vcf")
    assert caught.value.code == "no_vcards"


def test_a_vcard_without_end_is_read_with_a_warning() -> None:
    result = parse_vcard(b"BEGIN:VCARD\nVERSION:3.0\nFN:Jan Berg\n", filename="a.vcf")
    assert [r.family_name for r in result.records] == ["Berg"]
    assert [w.code for w in result.warnings] == ["missing_end"]


def test_a_mapping_naming_a_missing_column() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_csv(b"Naam\nJan\n", filename="x.csv", mapping={"Name": "full_name"})
    assert caught.value.code == "unknown_column"


def test_a_mapping_without_names() -> None:
    with pytest.raises(NoNameColumn):
        parse_csv(b"Naam,Mail\nJan,j@x.nl\n", filename="x.csv", mapping={"Mail": "email"})


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse_auto(b"Naam\nJan\n", filename="x.csv", format="pdf")
    assert caught.value.code == "unknown_format"
