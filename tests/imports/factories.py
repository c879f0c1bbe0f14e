"""Files to import, written here so every test states what it feeds in."""

from __future__ import annotations


def csv_file(
    *rows: str,
    header: str = "Voornaam;Tussenvoegsel;Achternaam;E-mail;Telefoon;Organisatie;Functie;Plaats",
) -> bytes:
    """A Dutch Excel CSV (semicolons, Windows-1252) with the given data rows."""
    return ("\r\n".join([header, *rows]) + "\r\n").encode("cp1252")


DUTCH = csv_file(
    "Jan;van der;Berg;jan@rijnbouw.nl;0612345678;Rijnbouw B.V.;Directeur;Utrecht",
    "Anna;de;Wit;anna@deltabouw.nl;0201234567;Deltabouw;CFO;Amsterdam",
    "Renée;;Smits;renee@hanzeadvies.nl;;Hanze Advies;Adviseur;Groningen",
    ";;;;;;;Zwolle",
)

LINKEDIN = (
    b"Notes:\n"
    b'"When exporting your connection data, you may notice that some of the email addresses are missing."\n'
    b"\n"
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b"Jan,van der Berg,https://www.linkedin.com/in/janvdberg,jan@rijnbouw.nl,Rijnbouw B.V.,Directeur,12 Mar 2021\n"
    b"Sophie,Jansen,https://www.linkedin.com/in/sophiejansen,,Gemeente Utrecht,Beleidsadviseur,03 Jan 2020\n"
)
