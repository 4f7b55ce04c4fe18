"""Hand-curated names and identifiers used by build.py.

No coordinates of output features are typed here.  The only hand-typed
coordinates are *test points* used to recognise which source polygon is which
(seas, lakes, Abkhazia / South Ossetia pieces); they never end up in the data.
"""
import unicodedata

# world-atlas ids are ISO 3166-1 numeric codes (strings)
ISO_NUM_TO_A3 = {
    "051": "ARM", "031": "AZE", "268": "GEO", "364": "IRN", "792": "TUR",
    "643": "RUS", "368": "IRQ", "760": "SYR", "398": "KAZ", "795": "TKM",
    "804": "UKR", "422": "LBN", "196": "CYP", "860": "UZB",
}
COUNTRY_NAMES = {
    "ARM": "Armenia", "AZE": "Azerbaijan", "GEO": "Georgia", "IRN": "Iran",
    "TUR": "Turkey", "RUS": "Russia", "IRQ": "Iraq", "SYR": "Syria",
    "KAZ": "Kazakhstan", "TKM": "Turkmenistan", "UKR": "Ukraine",
    "LBN": "Lebanon", "CYP": "Cyprus", "UZB": "Uzbekistan",
}
ISO2_TO_A3 = {
    "AM": "ARM", "AZ": "AZE", "GE": "GEO", "IR": "IRN", "TR": "TUR", "RU": "RUS",
    "IQ": "IRQ", "SY": "SYR", "KZ": "KAZ", "TM": "TKM", "UA": "UKR",
}

_FOLD = str.maketrans({"ə": "a", "Ə": "A", "ı": "i", "İ": "I", "’": "'", "ʼ": "'",
                       "ʻ": "'", "‘": "'", "ø": "o", "ł": "l", "đ": "d"})


def ascii_fold(s):
    s = s.translate(_FOLD)
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()


# ---------------------------------------------------------------- provinces
_SUFFIXES = (" Rayonu", " Rayon", " Marz", " Mkhare")
_ARM_SHORT = {"Lorru": "Lori", "Yerevan": "Yerevan"}


def province_short_name(a3, gn):
    s = gn
    for suf in _SUFFIXES:
        if s.endswith(suf):
            s = s[: -len(suf)]
            break
    if a3 == "ARM":
        if s in _ARM_SHORT:
            return _ARM_SHORT[s]
        # Armenian genitive forms in GeoNames: "Syunik'i", "Ararati", "Vayots' Dzori"
        if s.endswith("'i"):
            s = s[:-2]
        elif s.endswith("i"):
            s = s[:-1]
    return s


# ---------------------------------------------------------------- places
# geonameid -> id / common English name / alternative names.  Every place here
# is always included, whatever its population.
PLACE_FORCE = {
    587084: {"id": "baku", "name": "Baku", "alt": ["Bakı"]},
    616052: {"id": "yerevan", "name": "Yerevan", "alt": ["Erevan", "Erivan"]},
    611717: {"id": "tbilisi", "name": "Tbilisi", "alt": ["Tiflis"]},
    586523: {"id": "ganja", "name": "Ganja", "alt": ["Gəncə", "Kirovabad", "Elisavetpol"]},
    616635: {"id": "gyumri", "name": "Gyumri", "alt": ["Leninakan", "Alexandropol"]},
    616530: {"id": "vanadzor", "name": "Vanadzor", "alt": ["Kirovakan"]},
    615532: {"id": "batumi", "name": "Batumi", "alt": ["Batum"]},
    613607: {"id": "kutaisi", "name": "Kutaisi", "alt": []},
    611847: {"id": "sukhumi", "name": "Sukhumi", "alt": ["Sokhumi", "Sukhum", "Aqwa"]},
    611403: {"id": "tskhinvali", "name": "Tskhinvali", "alt": ["Ts'khinvali", "Tskhinval"]},
    146970: {"id": "stepanakert", "name": "Stepanakert", "alt": ["Khankendi", "Xankəndi"]},
    147105: {"id": "shusha", "name": "Shusha", "alt": ["Shushi", "Şuşa", "Susa"]},
    147625: {"id": "lachin", "name": "Lachin", "alt": ["Laçın", "Berdzor"]},
    147429: {"id": "nakhchivan-city", "name": "Nakhchivan", "alt": ["Nakhichevan", "Naxçıvan"]},
    148619: {"id": "agdam", "name": "Agdam", "alt": ["Aghdam", "Ağdam"]},
    148106: {"id": "fizuli", "name": "Fizuli", "alt": ["Fuzuli", "Füzuli"]},
    148141: {"id": "jabrayil", "name": "Jabrayil", "alt": ["Cəbrayıl", "Jabrail"]},
    174895: {"id": "goris", "name": "Goris", "alt": ["Geryusy"]},
    174875: {"id": "kapan", "name": "Kapan", "alt": ["Ghapan", "Kafan"]},
    174884: {"id": "jermuk", "name": "Jermuk", "alt": []},
    174823: {"id": "meghri", "name": "Meghri", "alt": []},
    113646: {"id": "tabriz", "name": "Tabriz", "alt": []},
    566532: {"id": "derbent", "name": "Derbent", "alt": ["Derbend"]},
    473249: {"id": "vladikavkaz", "name": "Vladikavkaz", "alt": ["Ordzhonikidze"]},
    743952: {"id": "kars", "name": "Kars", "alt": []},
    311665: {"id": "igdir", "name": "Igdir", "alt": ["Iğdır"]},
    532096: {"id": "makhachkala", "name": "Makhachkala", "alt": []},
    315368: {"id": "erzurum", "name": "Erzurum", "alt": []},
    298117: {"id": "van", "name": "Van", "alt": []},
    143083: {"id": "ardabil", "name": "Ardabil", "alt": ["Ardabīl", "Ardebil"]},
    121801: {"id": "urmia", "name": "Urmia", "alt": ["Orūmīyeh", "Orumiyeh"]},
    99072: {"id": "mosul", "name": "Mosul", "alt": ["Al Mawşil"]},
}
CAPITALS = {587084, 616052, 611717}

# further English names for places that pass the population filter
PLACE_NAMES = {
    584923: {"name": "Sumgait", "alt": ["Sumqayıt", "Sumgayit"]},
    585514: {"name": "Mingachevir", "alt": ["Mingəçevir", "Mingechaur"]},
    147622: {"name": "Lankaran", "alt": ["Lənkəran", "Lenkoran"]},
    148565: {"name": "Shirvan", "alt": ["Şirvan", "Ali Bayramli"]},
    585170: {"name": "Sheki", "alt": ["Şəki", "Nukha"]},
    584717: {"name": "Khachmaz", "alt": ["Xaçmaz"]},
    616062: {"name": "Vagharshapat", "alt": ["Etchmiadzin", "Echmiadzin"]},
    584954: {"name": "Siyazan", "alt": ["Siyəzən"]},
    586763: {"name": "Shabran", "alt": ["Dəvəçi", "Divichi"]},
    148340: {"name": "Bilasuvar", "alt": ["Biləsuvar", "Pushkino"]},
    585763: {"name": "Kurdamir", "alt": ["Kürdəmir"]},
    587261: {"name": "Amirjan", "alt": ["Əmircan"]},
    586968: {"name": "Bina", "alt": ["Binə"]},
    615912: {"name": "New Athos", "alt": ["Novy Afon", "Akhali Atoni"]},
}

_ENGLISH = {
    "Qaraçuxur": "Garachukhur", "Bakıxanov": "Bakikhanov", "Göyçay": "Goychay",
    "Maştağa": "Mashtaga", "Hövsan": "Hovsan", "Ağdaş": "Agdash", "Hacıqabul": "Hajigabul",
    "Sabunçu": "Sabunchu", "Saatlı": "Saatly", "Neftçala": "Neftchala",
    "Əhmədbəyli": "Ahmadbayli", "Yeni Suraxanı": "Yeni Surakhany",
}


def english_name(gname):
    return _ENGLISH.get(gname) or ascii_fold(gname)


# ---------------------------------------------------------------- water
# (id, name, test point inside the water body)
SEAS = [
    ("caspian-sea", "Caspian Sea", (50.0, 41.0)),
    ("black-sea", "Black Sea", (37.5, 43.0)),
    ("sea-of-azov", "Sea of Azov", (37.0, 45.9)),
    ("mediterranean-sea", "Mediterranean Sea", (36.05, 36.7)),
]
LAKES = [
    ("lake-sevan", "Lake Sevan", (45.363, 40.379)),
    ("lake-van", "Lake Van", (42.816, 38.657)),
    ("lake-urmia", "Lake Urmia", (45.512, 37.698)),
    ("mingachevir-reservoir", "Mingachevir Reservoir", (46.612, 40.916)),
    ("keban-reservoir", "Keban Reservoir", (39.286, 38.836)),
    ("karakaya-reservoir", "Karakaya Reservoir", (38.416, 38.518)),
    ("ataturk-reservoir", "Atatürk Reservoir", (38.805, 37.658)),
    ("lake-assad", "Lake Assad", (38.087, 36.057)),
]
