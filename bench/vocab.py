"""Word lists and sentence patterns the dataset generator draws from.

Only used to make generated rows look like the real thing (names, titles, outlets,
quotes with a realistic vocabulary for full-text search). Nothing here is copied
from the seed articles.
"""

# Governorates (admin1) of Iraq and Syria with approximate centroids, used when
# seeds/reference/places.tsv is absent. Order is irrelevant; weights are assigned
# by the generator.
GOVERNORATES: tuple[tuple[str, str, str, float, float], ...] = (
    # country_code, country, admin1, lat, lon
    ("IQ", "Iraq", "Baghdad", 33.31, 44.37),
    ("IQ", "Iraq", "Nineveh", 36.34, 43.13),
    ("IQ", "Iraq", "Anbar", 33.42, 43.30),
    ("IQ", "Iraq", "Diyala", 33.77, 45.05),
    ("IQ", "Iraq", "Kirkuk", 35.47, 44.39),
    ("IQ", "Iraq", "Salah ad Din", 34.60, 43.68),
    ("IQ", "Iraq", "Babil", 32.48, 44.43),
    ("IQ", "Iraq", "Karbala", 32.62, 44.02),
    ("IQ", "Iraq", "Najaf", 31.99, 44.33),
    ("IQ", "Iraq", "Wasit", 32.50, 45.82),
    ("IQ", "Iraq", "Maysan", 31.84, 47.14),
    ("IQ", "Iraq", "Dhi Qar", 31.05, 46.26),
    ("IQ", "Iraq", "Basra", 30.51, 47.78),
    ("IQ", "Iraq", "Muthanna", 31.32, 45.28),
    ("IQ", "Iraq", "Al-Qadisiyyah", 31.99, 44.92),
    ("IQ", "Iraq", "Erbil", 36.19, 44.01),
    ("IQ", "Iraq", "Duhok", 36.87, 42.99),
    ("IQ", "Iraq", "Sulaymaniyah", 35.56, 45.43),
    ("IQ", "Iraq", "Halabja", 35.18, 45.99),
    ("SY", "Syria", "Damascus", 33.51, 36.29),
    ("SY", "Syria", "Rif Dimashq", 33.52, 36.60),
    ("SY", "Syria", "Aleppo", 36.20, 37.16),
    ("SY", "Syria", "Homs", 34.73, 36.71),
    ("SY", "Syria", "Hama", 35.13, 36.75),
    ("SY", "Syria", "Latakia", 35.52, 35.78),
    ("SY", "Syria", "Tartus", 34.89, 35.89),
    ("SY", "Syria", "Idlib", 35.93, 36.63),
    ("SY", "Syria", "Raqqa", 35.95, 39.01),
    ("SY", "Syria", "Deir ez-Zor", 35.34, 40.14),
    ("SY", "Syria", "Al-Hasakah", 36.50, 40.75),
    ("SY", "Syria", "Daraa", 32.62, 36.10),
    ("SY", "Syria", "As-Suwayda", 32.71, 36.57),
    ("SY", "Syria", "Quneitra", 33.13, 35.82),
)

TOWN_PREFIXES = ("Tal", "Kafr", "Ain", "Deir", "Qasr", "Jisr", "Abu", "Umm", "Bir", "Khirbet")
TOWN_STEMS = (
    "Hamra", "Zahra", "Nahr", "Jabal", "Sahl", "Wadi", "Raml", "Shams", "Qamar", "Nour",
    "Sakhr", "Balad", "Marj", "Tuffah", "Zaytun", "Hadid", "Fadda", "Sharq", "Gharb", "Wusta",
)  # fmt: skip

ACTOR_CORE = (
    ("Islamic State", "non_state_armed_group"),
    ("Iraqi Security Forces", "state_force"),
    ("Popular Mobilization Forces", "militia"),
    ("Syrian Democratic Forces", "non_state_armed_group"),
    ("Syrian Arab Army", "state_force"),
    ("Turkish Armed Forces", "state_force"),
    ("Global Coalition", "international_coalition"),
    ("Hayat Tahrir al-Sham", "non_state_armed_group"),
    ("Kurdistan Workers' Party", "non_state_armed_group"),
    ("Peshmerga", "state_force"),
    ("Civilians", "civilians"),
    ("Government of Iraq", "government"),
    ("Government of Syria", "government"),
    ("Kurdistan Regional Government", "government"),
    ("Syrian National Army", "non_state_armed_group"),
)
ACTOR_ADJ = (
    "Northern", "Southern", "Eastern", "Western", "Free", "United", "Islamic", "National",
    "Revolutionary", "Popular", "Tribal", "Federal", "Special", "Rapid", "Border", "Desert",
    "Martyrs'", "Liberation", "Republican", "Independent",
)  # fmt: skip
ACTOR_NOUN = (
    "Brigade", "Battalion", "Front", "Army", "Movement", "Division", "Regiment", "Forces",
    "Guard", "Council", "Party", "Police", "Command", "Corps", "Legion", "Union",
)  # fmt: skip
ACTOR_KINDS = (
    ("non_state_armed_group", 30),
    ("militia", 20),
    ("state_force", 20),
    ("government", 8),
    ("political_party", 10),
    ("civilians", 5),
    ("media", 3),
    ("other", 4),
)

GIVEN = (
    "Ahmed", "Mohammed", "Ali", "Hassan", "Hussein", "Omar", "Khalid", "Yusuf", "Ibrahim",
    "Mustafa", "Haider", "Saad", "Qasim", "Falih", "Adel", "Nouri", "Fuad", "Barham",
    "Masoud", "Nechirvan", "Bashar", "Faisal", "Rami", "Sami", "Tariq", "Walid", "Ziad",
    "Layla", "Mariam", "Hanan", "Rasha", "Nadia", "Salma", "Dalia", "Huda", "Amal",
)  # fmt: skip
FAMILY = (
    "al-Jaafari", "al-Obeidi", "al-Maliki", "al-Amiri", "al-Khazali", "al-Rubaie",
    "al-Zubaidi", "al-Hashimi", "al-Dulaimi", "al-Jubouri", "Barzani", "Talabani",
    "al-Asadi", "al-Shammari", "al-Tamimi", "al-Saadi", "al-Kubaisi", "Rasul", "Hamad",
    "Mahmoud", "Othman", "Saleh", "Karim", "Aziz", "Mansour", "Haddad", "Khoury",
)  # fmt: skip
TITLES = (
    "Prime Minister", "Minister of Interior", "Minister of Defence", "Governor",
    "spokesman", "military spokesman", "police chief", "commander", "deputy governor",
    "security adviser", "mayor", "health director", "provincial council head",
)  # fmt: skip

OUTLETS = (
    ("Rudaw", "rudaw.example"), ("Kurdistan24", "kurdistan24.example"),
    ("Shafaq News", "shafaq.example"), ("The New Arab", "newarab.example"),
    ("Reuters", "reuters.example"), ("AFP", "afp.example"), ("AP", "apnews.example"),
    ("Al-Monitor", "al-monitor.example"), ("Enab Baladi", "enabbaladi.example"),
    ("SOHR", "syriahr.example"), ("Iraqi News Agency", "ina.example"),
    ("SANA", "sana.example"), ("North Press", "npasyria.example"),
    ("Baghdad Today", "baghdadtoday.example"), ("The National", "thenational.example"),
    ("Asharq Al-Awsat", "aawsat.example"), ("Middle East Eye", "middleeasteye.example"),
    ("Alsumaria", "alsumaria.example"), ("Xinhua", "xinhua.example"), ("BBC", "bbc.example"),
)  # fmt: skip

INCIDENT_TYPES = (
    ("armed_assault", 25), ("bombing", 18), ("air_strike", 12), ("shelling", 12),
    ("clash", 12), ("ambush", 6), ("assassination", 5), ("kidnapping", 4),
    ("suicide_bombing", 3), ("facility_attack", 2), ("other", 1),
)  # fmt: skip
VERBS = {
    "armed_assault": "attacked",
    "bombing": "detonated a bomb targeting",
    "air_strike": "carried out an air strike on",
    "shelling": "shelled",
    "clash": "clashed with",
    "ambush": "ambushed",
    "assassination": "assassinated a member of",
    "kidnapping": "abducted members of",
    "suicide_bombing": "sent a suicide bomber against",
    "facility_attack": "attacked a facility of",
    "other": "struck",
}

QUOTE_OPENERS = (
    "We will pursue the perpetrators of this",
    "Security forces have restored calm after the",
    "The ministry condemns in the strongest terms the",
    "Our forces repelled the",
    "An investigation has been opened into the",
    "A curfew was imposed following the",
    "Reinforcements were sent after the",
    "The ceasefire was violated by the",
    "Humanitarian aid will reach the families affected by the",
    "Intelligence warned days before the",
)  # fmt: skip
QUOTE_OBJECTS = (
    "cowardly attack", "terrorist operation", "rocket strike", "drone attack",
    "roadside explosion", "assault on the checkpoint", "attack on the pipeline",
    "shelling of residential areas", "raid on the village", "infiltration attempt",
)  # fmt: skip
QUOTE_CLOSERS = (
    "and those responsible will be brought to justice.",
    "and the situation is now under control.",
    "while the wounded were taken to hospital.",
    "and several suspects were arrested.",
    "and displaced families are being sheltered.",
    "and the border crossing was closed.",
    "and electricity was cut in the district.",
    "and the funeral will be held tomorrow.",
)  # fmt: skip

CHANNELS = (
    ("statement", 35), ("press_conference", 15), ("interview", 12), ("telegram", 12),
    ("twitter", 10), ("facebook", 6), ("television", 6), ("meeting", 2), ("other", 2),
)  # fmt: skip

# Words Q4 searches for: frequent, mid-frequency and rare terms of the quote vocabulary.
SEARCH_TERMS = (
    "curfew", "ceasefire", "perpetrators justice", "drone attack", "pipeline",
    "checkpoint", "humanitarian aid", "border crossing", "investigation", "suspects arrested",
)  # fmt: skip
