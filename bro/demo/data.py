"""Static vocabularies for the demo: names, languages, reception centres and municipality weights.

Everything here is fictional but plausible. Names are common given and family names in each
country, written in the Latin transliteration Norwegian authorities use; no list pairs a name with
a real person. Reception-centre names follow the usual "<place> mottak" pattern and sit in real
host municipalities, but the centres themselves are invented.
"""

from __future__ import annotations

from bro.core.roles import CentreType, OperatorKind

# fmt: off

# --- Names by nationality -------------------------------------------------------------------------
# ``patronymic``: the family name of a child is the father's given name (Eritrea, Somalia), and a
# wife keeps her own. ``own_family_names``: household members do not share a family name (DR Congo).

ARABIC_MALE = [
    "Mohammad", "Ahmad", "Ali", "Omar", "Khaled", "Yousef", "Hassan", "Hussein", "Mahmoud", "Ibrahim",
    "Mustafa", "Abdullah", "Samer", "Bashar", "Rami", "Tarek", "Fadi", "Walid", "Karim", "Majd", "Adnan",
    "Ammar", "Hamza", "Bilal", "Anas", "Firas", "Nizar", "Jamal", "Ziad", "Saleh",
]
ARABIC_FEMALE = [
    "Fatima", "Aisha", "Maryam", "Noor", "Rania", "Hiba", "Lina", "Reem", "Yasmin", "Layla", "Salma",
    "Amal", "Dima", "Huda", "Rasha", "Zainab", "Hanan", "Sara", "Asma", "Ghada", "Lamis", "Rahaf",
    "Bushra", "Samah", "Nada", "Inas",
]
KURDISH_MALE = ["Rojhat", "Baran", "Serhat", "Siyar", "Azad", "Dilshad", "Kawa", "Rebwar", "Hozan", "Shivan"]
KURDISH_FEMALE = ["Berfin", "Rojda", "Zelal", "Delal", "Nasrin", "Shirin", "Jiyan", "Hevi", "Ronahi", "Avin"]

NAMES: dict[str, dict] = {
    "SY": {
        "male": ARABIC_MALE + KURDISH_MALE[:4],
        "female": ARABIC_FEMALE + KURDISH_FEMALE[:4],
        "family": [
            "Al-Hamwi", "Haddad", "Khalil", "Al-Hassan", "Darwish", "Al-Ahmad", "Mansour", "Kanaan",
            "Al-Halabi", "Shami", "Nasser", "Hamdan", "Al-Khatib", "Sabbagh", "Youssef", "Zaher", "Qasim",
            "Al-Rifai", "Barakat", "Hesso", "Sheikho", "Mamo", "Osman", "Al-Omar", "Suleiman", "Jaber",
        ],
    },
    "IQ": {
        "male": ARABIC_MALE[:20] + KURDISH_MALE,
        "female": ARABIC_FEMALE[:18] + KURDISH_FEMALE,
        "family": [
            "Al-Jubouri", "Al-Tamimi", "Al-Saadi", "Al-Obaidi", "Kareem", "Jabbar", "Al-Zubaidi", "Mahmood",
            "Abdulrahman", "Rashid", "Salih", "Aziz", "Faraj", "Hama", "Qadir", "Rasul", "Al-Shammari",
        ],
    },
    "SD": {
        "male": [
            "Mohamed", "Osman", "Abdelrahman", "Omer", "Elsadig", "Hamid", "Adam", "Yasir", "Musa", "Babiker",
            "Elfatih", "Mubarak", "Hashim", "Khalid", "Ismail", "Abdalla",
        ],
        "female": [
            "Fatima", "Amna", "Hawa", "Sara", "Mariam", "Nafisa", "Samia", "Zeinab", "Awadia", "Ikhlas",
            "Tasneem", "Rayan", "Hadia", "Sumaya",
        ],
        "family": [
            "Abdalla", "Elhassan", "Osman", "Ahmed", "Babiker", "Elamin", "Ibrahim", "Mohamed", "Adam",
            "Yousif", "Elnour", "Hamad", "Abakar", "Suliman",
        ],
    },
    "XS": {
        "male": ARABIC_MALE,
        "female": ARABIC_FEMALE,
        "family": [
            "Abu Khalil", "Al-Shafi", "Odeh", "Saleh", "Hijazi", "Al-Enezi", "Al-Dhafiri", "Awad", "Qassem",
            "Abu Hamdan", "Al-Mutairi", "Shehadeh", "Abu Zaid",
        ],
    },
    "AF": {
        "male": [
            "Ahmad", "Mohammad", "Ali", "Hossein", "Reza", "Mustafa", "Abdul Rahman", "Sayed", "Jawad", "Farid",
            "Nasir", "Wahid", "Rahim", "Khalid", "Hamid", "Zabihullah", "Najib", "Bashir", "Omid", "Sohrab",
            "Mahdi", "Ehsan", "Samiullah", "Habib", "Mujtaba", "Asadullah",
        ],
        "female": [
            "Zahra", "Fatima", "Maryam", "Masooma", "Shukria", "Nargis", "Parwana", "Sakina", "Hakima", "Laila",
            "Roya", "Freshta", "Sima", "Mahbooba", "Nilofar", "Zarghona", "Marzia", "Shabnam", "Hamida",
            "Tamana",
        ],
        "family": [
            "Ahmadi", "Rahimi", "Hussaini", "Mohammadi", "Karimi", "Sultani", "Hakimi", "Rezaei", "Jafari",
            "Sharifi", "Nazari", "Habibi", "Amiri", "Safi", "Stanikzai", "Popal", "Yousufzai", "Noori",
            "Haidari", "Azizi", "Sadat", "Wardak", "Qaderi", "Rasuli",
        ],
    },
    "ER": {
        "male": [
            "Yonas", "Tesfay", "Berhane", "Mebrahtu", "Filmon", "Dawit", "Samuel", "Yohannes", "Merhawi",
            "Habtom", "Kidane", "Tekle", "Ghebremedhin", "Aron", "Biniam", "Efrem", "Mussie", "Senai",
            "Goitom", "Haile", "Amanuel", "Robel",
        ],
        "female": [
            "Helen", "Senait", "Yordanos", "Semhar", "Feven", "Luwam", "Selam", "Eden", "Winta", "Saba",
            "Rahel", "Tsega", "Mebrat", "Hiwet", "Abrehet", "Lidia", "Ruta", "Elsa", "Almaz", "Mihret",
        ],
        "patronymic": True,
    },
    "SO": {
        "male": [
            "Abdi", "Mohamed", "Ahmed", "Abdullahi", "Hassan", "Omar", "Yusuf", "Ali", "Farah", "Abdirahman",
            "Mahad", "Liban", "Ismail", "Abdikadir", "Said", "Hussein", "Guled", "Mukhtar", "Warsame",
        ],
        "female": [
            "Hodan", "Amina", "Fadumo", "Hawa", "Ifrah", "Sahra", "Deqa", "Nasra", "Ubah", "Asha", "Hibaaq",
            "Maryan", "Ayaan", "Khadra", "Fartun", "Ilhan", "Sagal", "Naima",
        ],
        "patronymic": True,
    },
    "UA": {
        "male": [
            "Oleksandr", "Andrii", "Dmytro", "Serhii", "Volodymyr", "Mykola", "Ivan", "Yurii", "Bohdan",
            "Maksym", "Artem", "Taras", "Vasyl", "Oleh", "Pavlo", "Roman", "Vitalii", "Denys", "Mykhailo",
            "Ihor", "Nazar", "Danylo", "Yaroslav",
        ],
        "female": [
            "Olena", "Iryna", "Nataliia", "Oksana", "Tetiana", "Yuliia", "Svitlana", "Kateryna", "Anastasiia",
            "Mariia", "Viktoriia", "Halyna", "Liudmyla", "Alina", "Sofiia", "Daryna", "Anna", "Valentyna",
            "Khrystyna", "Polina", "Larysa", "Nadiia", "Veronika",
        ],
        "family": [
            "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boiko", "Kovalchuk",
            "Oliinyk", "Lysenko", "Marchenko", "Savchuk", "Rudenko", "Moroz", "Tkachuk", "Polishchuk",
            "Hrytsenko", "Pavlenko", "Honcharuk", "Klymenko", "Ponomarenko", "Levchenko", "Kushnir", "Sydorenko",
        ],
        # Adjectival surnames take a feminine form.
        "gendered_family": [
            ("Kovalskyi", "Kovalska"), ("Savytskyi", "Savytska"), ("Ivanov", "Ivanova"),
            ("Kuznetsov", "Kuznetsova"), ("Zhuravskyi", "Zhuravska"), ("Orlov", "Orlova"),
        ],
    },
    "CD": {
        "male": [
            "Jean", "Patrick", "Emmanuel", "Joseph", "Pierre", "Christian", "Olivier", "Bienvenu", "Dieudonné",
            "Jean-Claude", "Fiston", "Trésor", "Gloire", "Prince", "Espoir", "Héritier", "Junior", "Moïse",
        ],
        "female": [
            "Marie", "Esther", "Ruth", "Grâce", "Chantal", "Françoise", "Joséphine", "Solange", "Furaha",
            "Neema", "Aline", "Divine", "Bénédicte", "Rachel", "Consolata", "Anuarite", "Nadège",
        ],
        "family": [
            "Mukendi", "Tshibangu", "Ilunga", "Kasongo", "Mutombo", "Mbuyi", "Kalala", "Lukusa", "Banza",
            "Nsimba", "Makiese", "Kabongo", "Mwamba", "Bahati", "Kapinga", "Ngoy", "Amani", "Lumbala",
        ],
        "own_family_names": True,
    },
    "TR": {
        "male": [
            "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "Murat", "Emre", "Yusuf",
            "Serkan", "Kemal", "Burak", "Onur",
        ] + KURDISH_MALE[:4],
        "female": [
            "Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Esra", "Büşra", "Derya", "Sevgi",
        ] + KURDISH_FEMALE[:4],
        "family": [
            "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan", "Doğan",
            "Kılıç", "Aslan", "Polat", "Acar", "Ekinci", "Tekin",
        ],
    },
}

# --- Languages by nationality: (code, weight) for the mother tongue, plus common second languages ---
# Codes are from bro.people.languages.LANGUAGE_CODES.
MOTHER_TONGUES: dict[str, list[tuple[str, float]]] = {
    "SY": [("ar", 0.85), ("kmr", 0.15)],
    "IQ": [("ar", 0.55), ("ckb", 0.35), ("kmr", 0.10)],
    "SD": [("ar", 1.0)],
    "XS": [("ar", 1.0)],
    "AF": [("prs", 0.60), ("ps", 0.35), ("fa", 0.05)],
    "ER": [("ti", 0.90), ("ar", 0.10)],
    "SO": [("so", 1.0)],
    "UA": [("uk", 0.70), ("ru", 0.30)],
    "CD": [("fr", 0.60), ("sw", 0.40)],
    "TR": [("tr", 0.70), ("kmr", 0.30)],
}
SECOND_LANGUAGES: dict[str, list[str]] = {
    "SY": ["en", "tr"],
    "IQ": ["en", "ar"],
    "SD": ["en"],
    "XS": ["en"],
    "AF": ["fa", "en", "ur"],
    "ER": ["ar", "en"],
    "SO": ["ar", "en"],
    "UA": ["ru", "uk", "en", "pl"],
    "CD": ["fr", "sw", "en"],
    "TR": ["tr", "en"],
}

# --- Reception centres --------------------------------------------------------------------------
# (name, municipality number, centre type, operator kind, relative capacity). 4 of 31 are run by
# their municipality, close to the 14 of 140 of 2015/16 (000:L84); the rest by private companies
# and, fewer, non-profits ("de fleste drives av private selskaper og noen av ideelle
# organisasjoner", 000:L85–86).
CT, OP = CentreType, OperatorKind
CENTRES: list[tuple[str, str, str, str, int]] = [
    ("Råde ankomstsenter", "3112", CT.ARRIVAL, OP.PRIVATE, 6),
    ("Tønsberg transittmottak", "3905", CT.TRANSIT, OP.PRIVATE, 3),
    ("Fredrikstad akuttmottak", "3107", CT.EMERGENCY, OP.NON_PROFIT, 3),
    ("Sandnes akuttmottak", "1108", CT.EMERGENCY, OP.PRIVATE, 2),
    ("Harstad mottak", "5503", CT.ORDINARY, OP.MUNICIPAL, 4),
    ("Tromsø mottak", "5501", CT.ORDINARY, OP.PRIVATE, 3),
    ("Bodø mottak", "1804", CT.ORDINARY, OP.MUNICIPAL, 2),
    ("Narvik mottak", "1806", CT.ORDINARY, OP.PRIVATE, 2),
    ("Alta mottak", "5601", CT.ORDINARY, OP.NON_PROFIT, 2),
    ("Kirkenes mottak", "5605", CT.ORDINARY, OP.MUNICIPAL, 2),
    ("Rana mottak", "1833", CT.ORDINARY, OP.PRIVATE, 2),
    ("Trondheim mottak", "5001", CT.ORDINARY, OP.PRIVATE, 3),
    ("Steinkjer mottak", "5006", CT.ORDINARY, OP.NON_PROFIT, 2),
    ("Levanger mottak for enslige mindreårige", "5037", CT.UNACCOMPANIED_MINORS, OP.MUNICIPAL, 2),
    ("Bergen mottak", "4601", CT.ORDINARY, OP.NON_PROFIT, 3),
    ("Voss mottak", "4621", CT.ORDINARY, OP.PRIVATE, 2),
    ("Stord mottak", "4614", CT.ORDINARY, OP.PRIVATE, 2),
    ("Stavanger mottak", "1103", CT.ORDINARY, OP.PRIVATE, 3),
    ("Haugesund mottak for enslige mindreårige", "1106", CT.UNACCOMPANIED_MINORS, OP.PRIVATE, 2),
    ("Kristiansand mottak", "4204", CT.ORDINARY, OP.NON_PROFIT, 3),
    ("Arendal integreringsmottak", "4203", CT.INTEGRATION, OP.NON_PROFIT, 2),
    ("Skien mottak", "4003", CT.ORDINARY, OP.PRIVATE, 2),
    ("Drammen mottak", "3301", CT.ORDINARY, OP.PRIVATE, 3),
    ("Kongsberg integreringsmottak", "3303", CT.INTEGRATION, OP.PRIVATE, 2),
    ("Hamar mottak", "3403", CT.ORDINARY, OP.PRIVATE, 2),
    ("Lillehammer integreringsmottak", "3405", CT.INTEGRATION, OP.NON_PROFIT, 2),
    ("Gjøvik mottak", "3407", CT.ORDINARY, OP.PRIVATE, 2),
    ("Elverum mottak for enslige mindreårige", "3420", CT.UNACCOMPANIED_MINORS, OP.NON_PROFIT, 2),
    ("Oslo omsorgssenter for mindreårige", "0301", CT.CARE_CENTRE, OP.NON_PROFIT, 1),
    ("Molde mottak", "1506", CT.ORDINARY, OP.PRIVATE, 2),
    ("Ålesund mottak", "1508", CT.ORDINARY, OP.PRIVATE, 2),
]

# Where IMDi sits, and the Harstad organisations the demo users work in (004 is Harstad's plan).
IMDI_NAME = "IMDi – Integrerings- og mangfoldsdirektoratet"
IMDI_MUNICIPALITY = "0301"
HARSTAD = "5503"
HARSTAD_CENTRE = "Harstad mottak"
HARSTAD_ORGANISATIONS = {
    "adult_education": "Harstad voksenopplæring",
    "nav_office": "NAV Harstad",
    "health_service": "Harstad helsestasjon for flyktninger",
    "volunteer_centre": "Harstad frivilligsentral",
    "volunteer_organisation": "Røde Kors Harstad",
}

# Settlement weights: roughly the population in thousands (2024, rounded) for the larger
# municipalities; every other settlement municipality weighs DEFAULT_SETTLEMENT_WEIGHT. Settlement
# is "managed and spread" (DOMAIN §3), so the weight grows slower than population (power 0.8).
POPULATION_THOUSANDS: dict[str, int] = {
    "0301": 717, "4601": 291, "5001": 214, "1103": 149, "3201": 131, "4204": 116, "3301": 103,
    "3203": 98, "3205": 92, "3107": 85, "1108": 83, "5501": 78, "1508": 68, "3907": 65, "3207": 63,
    "3105": 59, "3905": 58, "4003": 55, "1804": 53, "3103": 51, "3909": 48, "3222": 47, "4203": 46,
    "1149": 43, "3209": 42, "1106": 38, "4001": 37, "3411": 35, "3118": 35, "3101": 32, "1506": 32,
    "3403": 32, "3407": 30, "3405": 29, "3303": 28, "5035": 25, "1833": 26, "5006": 24, "1505": 24,
    "5601": 21, "1806": 21, "3420": 21, "5037": 20, "4621": 16, "4614": 19, "5605": 10, "3112": 7,
}
DEFAULT_SETTLEMENT_WEIGHT = 5

# Municipal names where the Norwegian form is not the first of the official multilingual name.
NORWEGIAN_NAME = {
    "1826": "Hattfjelldal", "1875": "Hamarøy", "5041": "Snåsa", "5043": "Røyrvik", "5512": "Tjeldsund",
    "5518": "Lavangen", "5540": "Kåfjord", "5610": "Karasjok", "5612": "Kautokeino", "5628": "Tana",
    "5636": "Nesseby",
}

STREETS = [
    "Storgata", "Kirkegata", "Skolegata", "Fjellveien", "Parkveien", "Sjøgata", "Strandveien", "Bakkeveien",
    "Granveien", "Bjørkeveien", "Solbakken", "Industriveien", "Stasjonsveien", "Nordre gate", "Søndre gate",
]
# fmt: on
