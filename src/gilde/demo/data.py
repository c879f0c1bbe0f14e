"""Word lists for the demo network: Dutch names (with tussenvoegsels and accents), places,
organisation name parts, passions and topics. Invented; any likeness to a real firm is chance."""

GIVEN_NAMES = (
    "Jan Pieter Kees Henk Willem Bas Thijs Daan Sem Lucas Jeroen Mark Dennis Ruud Erik Frank Gert "
    "Hans Joost Koen Lars Maarten Niels Olaf Rutger Sander Stijn Tim Wouter Youssef Mohammed Emre "
    "Mehmet Ricardo Xander Gijs Floris Bram Teun Jesse René José Noël Anna Sanne Lotte Emma Julia "
    "Sophie Fleur Iris Anouk Eva Marieke Ingrid Esther Petra Linda Monique Saskia Marloes Femke "
    "Janneke Ilse Nicole Hanneke Karin Wendy Yvonne Nadia Fatima Samira Ayşe Elif Priya Hélène "
    "Anaïs Zoë Chloë Noëlle Renée Mirjam Gerda Tineke Annemiek Marie-José Anne-Marie Jan-Willem"
).split()
FAMILY_NAMES = (
    "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|"
    "Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|"
    "de Graaf|van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|"
    "van der Veen|van den Broek|de Bruijn|de Bruin|van der Heijden|Schouten|van Beek|Willems|"
    "van Vliet|van de Ven|Hoekstra|Maas|Verhoeven|Koster|van Dam|van der Wal|Prins|Blom|Huisman|"
    "Peeters|van der Berg|ter Horst|van 't Hek|in 't Veld|op den Brouw|van Os|van der Zande|"
    "Yılmaz|Öztürk|Çelik|Doğan|El Amrani|Benali|Bouzid|Ramdin|Sewnath|Kartosen|Nguyễn|"
    "Ünal|Grünewald|Müller|Lefèvre|Dubois|Ĳzerman|Brückner|Moreau|Koç|van Bommel|Timmermans|"
    "Groenewegen|Bosman|Kuipers|Postma|Veenstra|Kramer|van Wijk|Wijnands|Schipper|de Lange|"
    "Zwart|Hermans|Evers|Martens|Sanders|Gerritsen|van Rijn|Driessen|Verbeek|Goossens|"
    "van Dongen|Kuijpers|Lammers|Mertens|van Loon|Wolters|van Rooij|Haverkamp|Oosterhuis"
).split("|")
TITLES = ("", "", "", "", "", "", "dr.", "ir.", "mr.", "drs.", "prof. dr.", "ing.")

CITIES = (
    "Amsterdam Rotterdam Den-Haag Utrecht Eindhoven Groningen Tilburg Almere Breda Nijmegen "
    "Apeldoorn Haarlem Arnhem Enschede Amersfoort Zaandam 's-Hertogenbosch Zwolle Leiden Maastricht "
    "Dordrecht Ede Alkmaar Delft Deventer Venlo Leeuwarden Helmond Hilversum Heerlen Emmen Gouda "
    "Assen Middelburg Hoorn Lelystad Roermond Vlissingen Wageningen Harderwijk"
).replace("Den-Haag", "Den Haag").split()
PROVINCES = (
    "Groningen Friesland Drenthe Overijssel Flevoland Gelderland Utrecht Noord-Holland "
    "Zuid-Holland Zeeland Noord-Brabant Limburg"
).split()
STREETS = (
    "Kerkstraat Dorpsstraat Stationsweg Molenweg Schoolstraat Marktplein Julianalaan Beatrixlaan "
    "Kanaalweg Havenkade Industrieweg Parallelweg Nieuwe Gracht Oude Haven Lange Voorhout"
).split(" ")

# Sector → (organisation kind, name parts, stakeholder types typical for it)
SECTOR_PARTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "finance": ("company", ("Financiering", "Vermogensbeheer", "Kapitaal", "Verzekeringen", "Bank"), ("client", "investor", "partner")),
    "ict": ("company", ("Software", "Data", "Digitaal", "Cloud", "Systems", "IT Diensten"), ("supplier", "client", "prospect", "competitor")),
    "industry": ("company", ("Metaal", "Techniek", "Machinebouw", "Kunststoffen", "Precisie"), ("client", "prospect", "supplier")),
    "logistics": ("company", ("Logistiek", "Transport", "Distributie", "Havenbedrijf", "Expeditie"), ("client", "supplier", "prospect")),
    "construction": ("company", ("Bouw", "Vastgoed", "Infra", "Installatietechniek", "Architecten"), ("client", "partner", "prospect")),
    "energy": ("company", ("Energie", "Zon", "Wind", "Warmte", "Netbeheer"), ("partner", "client", "supplier")),
    "healthcare": ("foundation", ("Zorggroep", "Ziekenhuis", "Thuiszorg", "Zorgcentrum"), ("client", "partner")),
    "agriculture": ("company", ("Agri", "Voeding", "Zuivel", "Tuinbouw", "Food"), ("client", "prospect")),
    "retail": ("company", ("Retail", "Winkels", "Mode", "Wonen"), ("client", "prospect")),
    "legal": ("company", ("Advocaten", "Notarissen", "Advies", "Consultancy", "Accountants"), ("supplier", "partner", "competitor")),
    "government": ("government", ("Gemeente", "Provincie", "Waterschap", "Omgevingsdienst"), ("government",)),
    "education": ("knowledge", ("Hogeschool", "Universiteit", "Kenniscentrum", "Lectoraat", "ROC"), ("knowledge-institute", "partner")),
    "culture": ("media", ("Dagblad", "Omroep", "Media", "Theater", "Museum"), ("press", "partner")),
    "nonprofit": ("association", ("Vereniging", "Branchevereniging", "Stichting", "Netwerk", "Platform"), ("interest-group", "member", "partner")),
}
SECTOR_WEIGHTS = {
    "finance": 8, "ict": 14, "industry": 12, "logistics": 9, "construction": 10, "energy": 7,
    "healthcare": 7, "agriculture": 5, "retail": 5, "legal": 8, "government": 6, "education": 4,
    "culture": 3, "nonprofit": 5,
}  # fmt: skip
NAME_PREFIXES = (
    "Noord Zuid Oost West Midden Groot Nieuw Holland Rijn Maas IJssel Delta Polder Duin Kust "
    "Veluwe Brabant Zeeland Twente Gooi Kempen Waal Eem Vecht Linge Amstel Lek Dommel Berkel"
).split()
COMPANY_SUFFIXES = ("B.V.", "Groep", "Partners", "& Co", "N.V.", "Holding", "", "", "")

ROLES_BY_SECTOR_KIND = {
    "company": ("Directeur", "Algemeen directeur", "CFO", "CTO", "Commercieel directeur", "Inkoper",
                "Accountmanager", "Projectleider", "HR-manager", "Bedrijfsjurist", "Teamleider",
                "Innovatiemanager", "Office manager", "Sales manager", "Eigenaar"),
    "government": ("Wethouder", "Gemeentesecretaris", "Beleidsadviseur", "Gedeputeerde",
                   "Programmamanager", "Directeur", "Griffier", "Strategisch adviseur"),
    "foundation": ("Bestuurder", "Raad van bestuur", "Manager zorg", "Inkoopadviseur", "Directeur"),
    "knowledge": ("Lector", "Hoogleraar", "Onderzoeker", "Decaan", "Bestuursvoorzitter",
                  "Programmadirecteur", "Docent"),
    "media": ("Hoofdredacteur", "Journalist", "Verslaggever", "Directeur", "Programmamaker"),
    "association": ("Voorzitter", "Directeur", "Secretaris", "Beleidsmedewerker", "Bestuurslid"),
}  # fmt: skip

PASSIONS = (
    "zeilen", "wielrennen", "hardlopen", "golf", "jazz", "klassieke muziek", "schaken", "koken",
    "wijn", "fotografie", "tuinieren", "schilderen", "hockey", "voetbal", "schaatsen", "theater",
    "lezen", "geschiedenis", "vrijwilligerswerk", "reizen", "bergwandelen", "paardrijden", "tennis",
    "padel", "vogels kijken", "roeien", "kunst", "architectuur", "film", "duiken",
)
TALENTS = (
    "verbinden", "onderhandelen", "presenteren", "analyseren", "schrijven", "coachen",
    "organiseren", "netwerken", "luisteren", "strategisch denken", "fondsenwerving", "bemiddelen",
)
INTERESTS = (
    "AI", "energietransitie", "circulaire economie", "woningbouw", "arbeidsmarkt", "digitalisering",
    "zorginnovatie", "mobiliteit", "cybersecurity", "onderwijs", "stikstof", "logistiek",
    "duurzaam bouwen", "ondernemerschap", "regionale economie", "internationale handel",
)
TAGS = (
    "bestuur", "nieuwjaarsreceptie", "innovatieprogramma", "klantenraad", "alumni", "ambassadeur",
    "expertpanel", "regiodeal", "sponsor", "pers-contact", "adviesraad", "startups",
)
TOPICS = (
    "de energietransitie", "de nieuwe aanbesteding", "personeelstekorten", "hun groeiplannen",
    "digitalisering van de keten", "de regiodeal", "een gezamenlijk innovatieproject",
    "de jaarcijfers", "hun nieuwe strategie", "de woningbouwopgave", "samenwerking met het onderwijs",
    "het stikstofdossier", "een mogelijke introductie", "AI in de praktijk", "subsidiemogelijkheden",
    "het netwerkevent", "een lopende offerte", "de fusie", "hun uitbreiding naar Duitsland",
)
SUMMARIES = {
    "meeting": ("Overleg over {t}", "Afspraak op kantoor: {t}", "Kennismaking, gesproken over {t}"),
    "call": ("Telefonisch bijgepraat over {t}", "Kort gebeld over {t}", "Belafspraak: {t}"),
    "email": ("Mail over {t}", "Informatie gestuurd over {t}", "Mailwisseling over {t}"),
    "message": ("Appje over {t}", "Bericht via LinkedIn over {t}", "Felicitatie gestuurd"),
    "lunch": ("Lunch: {t}", "Koffie gedronken, over {t}", "Ontbijtsessie over {t}"),
    "event": ("Gesproken op het netwerkevent", "Ontmoet op de nieuwjaarsreceptie", "Gezien op het congres over {t}"),
    "other": ("Contact over {t}",),
}
SIGNALS = (
    "{org} overweegt een nieuwe vestiging in {city}.",
    "Verwacht dat de aanbesteding voor {topic} in het voorjaar uitkomt.",
    "Hoort dat er in de sector gereorganiseerd gaat worden.",
    "{org} zoekt een partner voor {topic}.",
    "Budgetten voor {topic} worden volgend jaar verdubbeld.",
    "De directeur van {org} gaat met pensioen; opvolging nog open.",
    "Merkt dat klanten terughoudend zijn met investeringen.",
)
