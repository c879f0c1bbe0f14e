"""Write import fixtures the way other programs write them, awkward cases included.

Run ``python tests/interchange/make_fixtures.py DIR`` to get the files on disk for manual
testing; the tests call ``build_fixtures()`` and never read files from elsewhere."""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

CRLF = "\r\n"


def dutch_excel_csv() -> bytes:
    """Dutch Excel "CSV (gescheiden door lijstscheidingsteken)": cp1252, ';', CRLF, commas in
    addresses left unquoted, and a leading zero lost from a mobile number."""
    rows = [
        "Voornaam;Tussenvoegsel;Achternaam;Organisatie;Functie;E-mail;Telefoon;Plaats;Adres;"
        "Geboortedatum;Notities",
        "José;van der;Berg;Gemeente Utrecht;Beleidsadviseur;jose@utrecht.example;612345678;"
        "Utrecht;Stadsplateau 1, 3521 AZ Utrecht;17-5-1980;Kent de wethouder",
        "Renée;;Ëlsen;Café ’t Hoekje;Eigenaar;renee@hoekje.example;020-1234567;Amsterdam;;;"
        '"Eerste regel;\r\ntweede regel"',
        ";;;;;;;;;;",
        "Piet;de;Vries;;;;;;;;",
        ";;;Zonder Naam BV;;;;;;;Geen naam, geen e-mail",
    ]
    return (CRLF.join(rows) + CRLF).encode("cp1252")


def utf16_tab_csv() -> bytes:
    """Excel's "Unicode text": UTF-16 little endian with BOM, tab separated, full names."""
    rows = [
        "Naam\tE-mailadres\tMobiel\tBedrijf",
        "Berg, Jan van der\tjan@berg.example\t06 12 34 56 78\tBerg & Zonen",
        "J.P. de Vries\tjp@vries.example\t+31 (0)20 123 4567\tÖzdemir Consultancy",
        "dr. Anna de Wit\t\t\tUMC",
    ]
    return (CRLF.join(rows) + CRLF).encode("utf-16")


def english_bom_csv() -> bytes:
    """UTF-8 with BOM and English headers, as Excel's "CSV UTF-8" writes."""
    rows = [
        "First name,Last name,Company,Job title,Email,Phone,City,Tags",
        'Saskia,van Dijk,"Dijk, Partners",Partner,saskia@dijk.example,+31 6 11122233,Delft,'
        '"klant;netwerk"',
        "Ömer,Yılmaz,Yılmaz Bouw,Directeur,omer@yilmaz.example,0031 10 1234567,Rotterdam,",
    ]
    return ("\ufeff" + CRLF.join(rows) + CRLF).encode("utf-8")


LINKEDIN_NOTES = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more about how your "
    "connections' email addresses are used and shared here, in the help center\"\n"
    "\n"
)


def linkedin_connections_csv() -> bytes:
    """LinkedIn's Connections.csv: notes paragraph above the header, English dates, missing
    e-mails and names, degrees behind the last name."""
    rows = [
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
        "Jan,van der Berg,https://www.linkedin.com/in/janvdberg,jan@berg.example,"
        "Berg & Zonen,Directeur,12 Mar 2021",
        'Marieke,"de Vries, MSc",https://www.linkedin.com/in/mariekedevries,,'
        '"Vries, Advies & Co",Adviseur,03 Jan 2019',
        ",,https://www.linkedin.com/in/unknown-member,,,,01 Feb 2020",
        "Stéphanie,Ŝmit,https://www.linkedin.com/in/steph-smit-12ab34,,ACME,CTO,28 Feb 2024",
    ]
    return (LINKEDIN_NOTES + "\n".join(rows) + "\n").encode("utf-8")


def linkedin_zip() -> bytes:
    """LinkedIn's "Get a copy of your data" archive with Connections.csv among other files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Profile.csv", "First Name,Last Name\nIk,Zelf\n")
        archive.writestr("Connections.csv", linkedin_connections_csv())
        archive.writestr("messages.csv", "FROM,TO,CONTENT\n")
    return buffer.getvalue()


GOOGLE_HEADER = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
    "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
    "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Formatted,"
    "Address 1 - Street,Address 1 - City,Address 1 - Postal Code,Address 1 - Country,"
    "Website 1 - Label,Website 1 - Value"
)


def google_csv() -> bytes:
    """Google Contacts export (current headers): several values in one cell joined by ' ::: '."""
    rows = [
        GOOGLE_HEADER,
        "Eva,,Jansen,,,,,,,,Provincie Noord-Holland,Gedeputeerde,,1975-03-02,"
        '"Ontmoet op congres",,* myContacts ::: Overheid ::: VIP,* Work ::: Home,'
        "eva@nh.example ::: eva.jansen@home.example,,,Mobile,06-22233344 ::: 023-5123456,"
        'Work,"Dreef 3\n2012 HR Haarlem",Dreef 3,Haarlem,2012 HR,NL,Profile,'
        "https://www.linkedin.com/in/evajansen",
        "Kees,van,Dam,,,,dr.,,Keesje,,,,,--05-17,,,* starred,,,,,,,,,,,,,,",
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")


def google_legacy_csv() -> bytes:
    """The older Google CSV with Given Name / Family Name and numbered Organization columns."""
    rows = [
        "Name,Given Name,Additional Name,Family Name,Name Prefix,Birthday,Notes,"
        "Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,"
        "Organization 1 - Type,Organization 1 - Name,Organization 1 - Title",
        "Lotte ter Horst,Lotte,,ter Horst,,1990-12-01,,* myContacts ::: Leveranciers,* ,"
        "lotte@horst.example,Mobile,0612345679,,Ter Horst Catering,Eigenaar",
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")


OUTLOOK_EN_HEADER = (
    '"Title","First Name","Middle Name","Last Name","Suffix","Company","Department",'
    '"Job Title","Business Street","Business City","Business Postal Code",'
    '"Business Country/Region","Business Fax","Business Phone","Mobile Phone","Home Phone",'
    '"Birthday","Categories","E-mail Address","E-mail Type","E-mail Display Name",'
    '"E-mail 2 Address","Notes","Web Page","Initials"'
)


def outlook_en_csv() -> bytes:
    """Outlook (English) CSV export: everything quoted, birthdays month first, "0/0/00" empty,
    the tussenvoegsel in Middle Name as Dutch Outlook users type it."""
    rows = [
        OUTLOOK_EN_HEADER,
        '"","Hendrik","van den","Broek","","Broek Logistiek","Inkoop","Inkoper",'
        '"Havenweg 2","Rotterdam","3011 AA","Nederland","010-7654321","010-1234567",'
        '"06-28765432","","5/17/1980","Leverancier;Logistiek","h.broek@logistiek.example",'
        '"SMTP","Hendrik van den Broek (h.broek@logistiek.example)","","","",""',
        '"Mr.","Tom","","Baker","","","","","","","","","","","","","0/0/00","","","","","",'
        '"","",""',
    ]
    return (CRLF.join(rows) + CRLF).encode("cp1252")


OUTLOOK_NL_HEADER = (
    '"Titel","Voornaam","Middelste naam","Achternaam","Achtervoegsel","Bedrijf","Afdeling",'
    '"Functie","Werkadres, straat","Werkadres, plaats","Werkadres, postcode",'
    '"Werkadres, land/regio","Fax op werk","Telefoon op werk","Mobiele telefoon",'
    '"Telefoon thuis","Verjaardag","Categorieën","E-mailadres","E-mailtype",'
    '"Weergavenaam e-mail","E-mailadres 2","Notities","Webpagina","Initialen"'
)


def outlook_nl_csv() -> bytes:
    """Outlook (Dutch) CSV export in cp1252: day-first birthdays, Dutch headers."""
    rows = [
        OUTLOOK_NL_HEADER,
        '"","Geertje","","Mulder-de Groot","","Zorggroep Zuid","","Bestuurder",'
        '"Kerkplein 4","’s-Hertogenbosch","5211 AB","Nederland","","073-6123456",'
        '"0623456789","","3-11-1968","Zorg","g.mulder@zorg.example","SMTP","","","","",""',
    ]
    return (CRLF.join(rows) + CRLF).encode("cp1252")


def vcard21() -> bytes:
    """vCard 2.1 as phones and old Outlook write it: quoted-printable in UTF-8 and in
    Windows-1252, soft line breaks, bare parameters."""
    utf8 = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Bj=C3=B6rk;Ren=C3=A9e;van;;\r\n"
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ren=C3=A9e van Bj=C3=B6rk\r\n"
        "TEL;CELL;PREF:0612345678\r\nTEL;WORK;VOICE:020-1234567\r\n"
        "EMAIL;INTERNET:renee@bjork.example\r\n"
        "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Eerste regel=0D=0ATweede regel met =\r\n"
        "=C3=A9=C3=A9n accent\r\n"
        "ORG;CHARSET=UTF-8;QUOTED-PRINTABLE:Caf=C3=A9 Noord\r\n"
        "END:VCARD\r\n"
    )
    cp1252 = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        "N;CHARSET=WINDOWS-1252;ENCODING=QUOTED-PRINTABLE:Ga=EBl;Fran=E7ois;;;\r\n"
        "TITLE;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Co=F6rdinator\r\n"
        "TEL;HOME:201234567\r\n"
        "PHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n /9j/4AAQSkZJRgABAQAAAQABAAD\r\n AAAAAAAA\r\n\r\n"
        "END:VCARD\r\n"
    )
    return (utf8 + cp1252).encode("ascii")


def vcard30() -> bytes:
    """vCard 3.0 as Apple writes it: folded lines, itemN. groups with X-ABLabel, escaped commas."""
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        "N:Boer;Maartje;de;;\r\nFN:Maartje de Boer\r\n"
        "ORG:Boer\\, Bakker & Co;Verkoop\r\nTITLE:Accountmanager\r\n"
        "item1.EMAIL;type=INTERNET;type=pref:maartje@boer.example\r\n"
        "item1.X-ABLabel:_$!<Other>!$_\r\n"
        "TEL;type=CELL;type=VOICE;type=pref:+31 6 33344455\r\n"
        "item2.ADR;type=WORK:;;Lange Voorhout 9;Den Haag;;2514 EA;Nederland\r\n"
        "item3.URL:https://www.linkedin.com/in/maartjedeboer\r\nitem3.X-ABLabel:LinkedIn\r\n"
        "URL:https://boer.example\r\n"
        "NOTE:Een lange notitie die over meerdere regels is gevouwen omdat vCard regels \r\n"
        " niet langer dan vijfenzeventig tekens mogen zijn\\, zegt de norm.\r\n"
        "CATEGORIES:Klant,Netwerk\r\nBDAY:1985-07-04\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:Bram 't Hooft\r\n"
        "EMAIL:bram@hooft.example\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nNOTE:nobody\r\nEND:VCARD\r\n"
    )
    return text.encode("utf-8")


def vcard40() -> bytes:
    """vCard 4.0 with value URIs, quoted parameters and LANG."""
    text = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\n"
        "FN:Ingrid van 't Veld\r\nN:Veld;Ingrid;van 't;dr.;\r\n"
        'TEL;VALUE=uri;TYPE="voice,cell":tel:+31-6-4445-5566\r\n'
        "EMAIL;TYPE=work:ingrid@veld.example\r\nLANG;PREF=1:nl\r\n"
        "BDAY:19700101\r\nEND:VCARD\r\n"
    )
    return text.encode("utf-8")


def workbook_xlsx() -> bytes:
    """An Excel workbook with a title row above the header, a phone typed as a number and a
    real date cell."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Relatiebestand 2024"])
    sheet.append(["Naam", "Organisatie", "E-mail", "Telefoon", "Geboortedatum", "Woonplaats"])
    birthday = datetime(1982, 4, 9)  # noqa: DTZ001 - Excel cells have no time zone
    sheet.append(["Femke van 't Hof", "Hof BV", "femke@hof.example", 612345678, birthday, "Zwolle"])
    sheet.append(["de Groot, P.", "", "p.degroot@example.nl", "'+31201234567", None, "Ede"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_fixtures() -> dict[str, bytes]:
    """Every fixture by file name."""
    return {
        "dutch_excel.csv": dutch_excel_csv(),
        "unicode_text.txt": utf16_tab_csv(),
        "english_utf8_bom.csv": english_bom_csv(),
        "Connections.csv": linkedin_connections_csv(),
        "linkedin_export.zip": linkedin_zip(),
        "google.csv": google_csv(),
        "google_legacy.csv": google_legacy_csv(),
        "outlook_en.csv": outlook_en_csv(),
        "outlook_nl.csv": outlook_nl_csv(),
        "contacts21.vcf": vcard21(),
        "contacts30.vcf": vcard30(),
        "contacts40.vcf": vcard40(),
        "relaties.xlsx": workbook_xlsx(),
    }


def main(argv: list[str]) -> None:
    """Write all fixtures into the directory given on the command line."""
    target = Path(argv[1] if len(argv) > 1 else "interchange-fixtures")
    target.mkdir(parents=True, exist_ok=True)
    for name, content in build_fixtures().items():
        (target / name).write_bytes(content)
    print(f"Wrote {len(build_fixtures())} fixtures to {target}")


if __name__ == "__main__":
    main(sys.argv)
